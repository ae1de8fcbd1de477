import AlignRuntime

/// The manifest: what produced the rows. Known fields get their own tables; any other field the
/// manifest carries (newer tools record more) is still shown, generically.
extension RunReport {
    /// Fields shown by their own parts below, not in the general table.
    static let manifestParts: Set<String> = ["params", "models", "script", "modules", "prompts", "rows"]

    func manifestSection() -> String {
        var out = section("manifest", "Manifest")
        guard let m = run.manifest else { return out + "<p class=\"note\">This run has no manifest.json.</p>" }
        let general = m.pairs.filter { !Self.manifestParts.contains($0.key) }
        if !general.isEmpty { out += ValueHTML.keyValueTable(general) }
        if let rows = m["rows"] { out += "<h3>Rows</h3>" + ValueHTML.render(rows) }
        if case .record(let params)? = m["params"] {
            out += "<h3>Params</h3>"
            out += params.count == 0 ? "<p class=\"sub\">none</p>" : ValueHTML.keyValueTable(params.pairs)
        }
        if let models = m["models"] { out += "<h3>Models</h3>" + ValueHTML.render(models) }
        if case .record(let script)? = m["script"] { out += "<h3>Script</h3>" + sourceFile(script) }
        if case .list(let modules)? = m["modules"], !modules.isEmpty {
            out += "<h3>Modules</h3>"
            for case .record(let module) in modules { out += sourceFile(module) }
        }
        if case .list(let prompts)? = m["prompts"], !prompts.isEmpty {
            out += "<h3>Prompts</h3>"
            for case .record(let prompt) in prompts {
                let name = NumberFormat.exact(prompt["name"] ?? .null)
                let text = NumberFormat.exact(prompt["text"] ?? .null)
                out += "<details><summary>\(HTML.escape(name))</summary><pre>\(HTML.escape(text))</pre></details>"
            }
        }
        return out
    }

    /// A script or module: path, name and hash in a line, the text folded below.
    private func sourceFile(_ file: Record) -> String {
        var facts: [String] = []
        for key in ["name", "path", "sha256"] {
            if let v = file[key] { facts.append("\(key) " + NumberFormat.exact(v)) }
        }
        var out = "<p>\(HTML.escape(facts.joined(separator: " · ")))</p>"
        if case .string(let text)? = file["text"] {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            out += "<details><summary>\(lines) line\(lines == 1 ? "" : "s")</summary><pre>\(HTML.escape(text))</pre></details>"
        }
        return out
    }
}
