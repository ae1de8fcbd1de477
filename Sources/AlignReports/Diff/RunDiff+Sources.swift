import AlignRuntime

/// Script, module and prompt texts compared between two manifests.
extension RunDiff {
    static func sourceChanges(_ a: Record, _ b: Record) -> [SourceChange] {
        var out: [SourceChange] = []
        let scriptA = file(a["script"]), scriptB = file(b["script"])
        if scriptA != nil || scriptB != nil {
            out += compare(kind: "script", name: scriptB?.path ?? scriptA?.path ?? "script", scriptA, scriptB)
        }
        out += compareNamed(kind: "module", files(a["modules"]), files(b["modules"]))
        out += compareNamed(kind: "prompt", files(a["prompts"]), files(b["prompts"]))
        return out
    }

    private struct SourceText: Equatable {
        var name: String
        var path: String
        var text: String
    }

    private static func file(_ v: Value?) -> SourceText? {
        guard case .record(let r)? = v else { return nil }
        let text: String = if case .string(let s)? = r["text"] { s } else { "" }
        let path: String = if case .string(let s)? = r["path"] { s } else { "" }
        let name: String = if case .string(let s)? = r["name"] { s } else { path }
        return SourceText(name: name, path: path, text: text)
    }

    private static func files(_ v: Value?) -> [SourceText] {
        guard case .list(let items)? = v else { return [] }
        return items.compactMap { file($0) }
    }

    private static func compareNamed(kind: String, _ a: [SourceText], _ b: [SourceText]) -> [SourceChange] {
        var out: [SourceChange] = []
        for x in a {
            out += compare(kind: kind, name: x.name, x, b.first { $0.name == x.name })
        }
        for y in b where !a.contains(where: { $0.name == y.name }) {
            out += compare(kind: kind, name: y.name, nil, y)
        }
        return out
    }

    private static func compare(kind: String, name: String, _ x: SourceText?, _ y: SourceText?) -> [SourceChange] {
        switch (x, y) {
        case (let x?, let y?):
            guard x.text != y.text else { return [] }
            let diff = LineDiff.unified(x.text, y.text, oldName: "A/" + (x.path.isEmpty ? x.name : x.path),
                                        newName: "B/" + (y.path.isEmpty ? y.name : y.path))
            return [SourceChange(kind: kind, name: name, status: "changed", diff: diff)]
        case (_?, nil): return [SourceChange(kind: kind, name: name, status: "removed", diff: "")]
        case (nil, _?): return [SourceChange(kind: kind, name: name, status: "added", diff: "")]
        case (nil, nil): return []
        }
    }
}
