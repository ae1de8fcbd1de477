/// What differs between the manifest an earlier run left in a folder and the run about to
/// start: the script, imported modules, params and models (by id, compared by weights digest).
/// Each change is one phrase for the refusal message.
enum RunChanges {
    static func between(previous: Record, current: Record) -> [String] {
        var changes: [String] = []
        if case .record(let old)? = previous["script"], case .record(let new)? = current["script"],
           old["sha256"] != new["sha256"] {
            changes.append("the script changed" + firstDifference(old["text"], new["text"]))
        }
        changes += compare(previous["modules"], current["modules"], key: "name", field: "sha256", noun: "module")
        changes += params(previous["params"], current["params"])
        changes += compare(previous["models"], current["models"], key: "id", field: "sha256", noun: "model",
                           onlyShared: true)
        return changes
    }

    /// ` (first difference at line N)` for two texts, or nothing when either is missing.
    private static func firstDifference(_ a: Value?, _ b: Value?) -> String {
        guard case .string(let x)? = a, case .string(let y)? = b else { return "" }
        let xs = x.split(separator: "\n", omittingEmptySubsequences: false)
        let ys = y.split(separator: "\n", omittingEmptySubsequences: false)
        var line = 0
        while line < xs.count, line < ys.count, xs[line] == ys[line] { line += 1 }
        return " (first difference at line \(line + 1))"
    }

    private static func params(_ a: Value?, _ b: Value?) -> [String] {
        guard case .record(let old)? = a, case .record(let new)? = b else { return [] }
        var out: [String] = []
        for (name, value) in new.pairs {
            if let was = old[name] {
                if was != value { out.append("param `\(name)` was \(was.reprString), now \(value.reprString)") }
            } else {
                out.append("param `\(name)` is new (\(value.reprString))")
            }
        }
        for (name, _) in old.pairs where new[name] == nil { out.append("param `\(name)` was removed") }
        return out
    }

    /// Entries of two manifest lists matched by `key`; with `onlyShared`, entries present on
    /// one side only are not changes (a model may be loaded later in the run).
    private static func compare(_ a: Value?, _ b: Value?, key: String, field: String, noun: String,
                                onlyShared: Bool = false) -> [String] {
        let old = entries(a, key: key), new = entries(b, key: key)
        var out: [String] = []
        for (name, record) in new {
            guard let was = old.first(where: { $0.0 == name })?.1 else {
                if !onlyShared { out.append("\(noun) `\(name)` is new") }
                continue
            }
            if was[field] != record[field] { out.append("\(noun) `\(name)` changed (\(field) \(short(was[field])) → \(short(record[field])))") }
        }
        if !onlyShared {
            for (name, _) in old where !new.contains(where: { $0.0 == name }) { out.append("\(noun) `\(name)` is no longer used") }
        }
        return out
    }

    private static func entries(_ v: Value?, key: String) -> [(String, Record)] {
        guard case .list(let items)? = v else { return [] }
        return items.compactMap { item in
            guard case .record(let r) = item, case .string(let name)? = r[key] else { return nil }
            return (name, r)
        }
    }

    private static func short(_ v: Value?) -> String {
        if case .string(let s)? = v { return String(s.prefix(12)) }
        return "none"
    }
}
