import AlignEngine
import AlignRuntime
import AlignSyntax

/// `:help`, `:vars`, `:objectives` and `:models`: what the session knows, as text.
extension Session {
    func help(_ topic: String) -> String {
        if topic.isEmpty {
            let width = Magic.allCases.map(\.usage.count).max() ?? 0
            var lines = ["Type an expression to see its value; a statement runs quietly. Unfinished input",
                         "continues on a `...:` prompt. `_` is the last value, `out[n]` the value of cell n.",
                         "Tab completes names, members, columns, modules and file paths. Commands:"]
            for m in Magic.allCases { lines.append("  " + m.usage + String(repeating: " ", count: width - m.usage.count) + "  " + m.summary) }
            return lines.joined(separator: "\n")
        }
        if topic.hasPrefix(":") {
            guard let m = Magic(rawValue: String(topic.dropFirst())) else { return "unknown command `\(topic)`" }
            return m.usage + "\n  " + m.summary
        }
        if let keyword = Keyword(rawValue: topic) {
            return "`\(keyword.rawValue)` is a keyword of the language (see docs/language.md)"
        }
        guard Session.isNamePath(topic) else { return "`:help` takes a name such as `len` or `objectives.honesty`" }
        return describe(topic)
    }

    /// `a`, `a.b.c`: names and member accesses only, so evaluating one has no effects.
    static func isNamePath(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { part in
            guard let first = part.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
            return part.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        }
    }

    /// The value a name path has in the session (nil when it has none), without touching `_`.
    func peek(_ namePath: String) -> Result<Value, Diagnostic> {
        let outcome = interpreter.run(SourceFile(path: "<help>", text: namePath))
        if let d = outcome.diagnostics.first { return .failure(d) }
        return .success(outcome.value ?? .null)
    }

    private func describe(_ name: String) -> String {
        switch peek(name) {
        case .failure(let d):
            return d.message + (d.help.map { " (\($0))" } ?? "")
        case .success(.function(let f)):
            var lines = [f.signature]
            if let builtin = f as? Builtin {
                lines.append(contentsOf: TextWrap.wrap(builtin.doc, width: display.width - 2).map { "  " + $0 })
            } else if let doc = userDocs[f.name] {
                lines.append(contentsOf: doc.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 })
            }
            return lines.joined(separator: "\n")
        case .success(let value):
            return "\(name): \(value.typeName)\n" + display.render(value)
        }
    }

    /// The session's names and their types, with the start of each value.
    func variablesListing() -> String {
        let names = interpreter.globalNames.filter { $0 != "_" && $0 != "out" }
        guard !names.isEmpty else { return "no names defined yet" }
        let nameWidth = names.map(TextWidth.of).max() ?? 0
        var rows: [String] = []
        for name in names {
            guard let value = interpreter.globalValue(name) else { continue }
            let type = value.typeName
            let room = max(10, display.width - nameWidth - 14)
            let summary = display.flat(value, limit: room) ?? TextWidth.truncate(value.reprString, to: room)
            rows.append(TextWidth.pad(name, to: nameWidth) + "  " + TextWidth.pad(type, to: 10) + "  " + summary)
        }
        return rows.joined(separator: "\n")
    }

    /// Objectives bound in the session or in modules it imported, then the stdlib's.
    func objectivesListing() -> String {
        var lines: [String] = []
        var seen = Set<String>()
        func add(_ qualified: String, _ o: Objective) {
            guard seen.insert(qualified).inserted else { return }
            lines.append(qualified)
            lines.append(contentsOf: TextWrap.wrap(o.text, width: display.width - 4).map { "    " + $0 })
        }
        var importedStdlib = false
        for name in interpreter.globalNames {
            switch interpreter.globalValue(name) {
            case .objective(let o)?: add(name, o)
            case .module(let m)?:
                if m.name == "objectives" { importedStdlib = true }
                for (member, value) in m.members.pairs { if case .objective(let o) = value { add("\(name).\(member)", o) } }
            default: break
            }
        }
        if !importedStdlib, let stdlib = Session.stdlibObjectives(options.moduleSearch) {
            lines.append("in the stdlib (`import objectives`):")
            for (member, o) in stdlib { add("objectives.\(member)", o) }
        }
        return lines.isEmpty ? "no objectives defined (`import objectives` for the stdlib's)" : lines.joined(separator: "\n")
    }

    /// The stdlib `objectives` module's objectives, loaded in a throwaway interpreter.
    static func stdlibObjectives(_ search: ModuleSearch) -> [(String, Objective)]? {
        var o = Interpreter.Options()
        o.moduleSearch = search
        o.output = { _ in }
        let outcome = Interpreter(options: o).run(SourceFile(path: "<objectives>", text: "import objectives\nobjectives"))
        guard case .module(let m)? = outcome.value else { return nil }
        return m.members.pairs.compactMap { pair in
            if case .objective(let o) = pair.value { return (pair.key, o) }
            return nil
        }
    }

    /// Models bound to names in the session, then what `model(…)` can resolve on this machine.
    func modelsListing() -> String {
        var lines: [String] = []
        for name in interpreter.globalNames where name != "_" && name != "out" {
            if case .handle(let h)? = interpreter.globalValue(name), h.typeName == "model" {
                lines.append("\(name) = <model \(h.summary)>")
            }
        }
        if lines.isEmpty { lines.append("no model loaded in this session (`let m = model(\"smollm2\")`)") }
        lines.append("available to model(…):")
        let resolvable = ModelResolver().listResolvable()
        let width = resolvable.map(\.name.count).max() ?? 0
        for m in resolvable {
            lines.append("  " + TextWidth.pad(m.name, to: width) + "  " + (m.available ? "" : "✗ ") + m.detail)
        }
        return lines.joined(separator: "\n")
    }
}
