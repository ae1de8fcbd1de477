/// `.align` scripts in the percent format: a line starting with `# %%` begins a cell, and
/// `# %% [markdown]` a markdown cell whose lines are `#` comments.
/// Matches: jupytext's "percent" format (`# %%`, `# %% [markdown]`, optional title after `%%`).
public enum PercentScript {
    public static func cells(_ text: String) -> [Notebook.Cell] {
        var cells: [Notebook.Cell] = []
        var lines: [Substring] = []
        var kind = Notebook.Kind.code
        func flush() {
            var body = lines
            while let last = body.last, last.allSatisfy(\.isWhitespace) { body.removeLast() }
            while let first = body.first, first.allSatisfy(\.isWhitespace) { body.removeFirst() }
            defer { lines = [] }
            guard !body.isEmpty else { return }
            if kind == .markdown { body = body.map(uncomment) }
            cells.append(Notebook.Cell(kind: kind, source: body.joined(separator: "\n"), id: "cell-\(cells.count + 1)"))
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("# %%") || trimmed == "#%%" || trimmed.hasPrefix("#%% ") {
                flush()
                let rest = trimmed.drop { $0 != "%" }.dropFirst(2)
                kind = rest.contains("[markdown]") || rest.contains("[md]") ? .markdown : .code
                continue
            }
            lines.append(line)
        }
        flush()
        return cells
    }

    /// Code cells as a percent-format script (what `:save` writes).
    public static func render(_ sources: [String]) -> String {
        sources.map { "# %%\n" + $0 + ($0.hasSuffix("\n") ? "" : "\n") }.joined(separator: "\n")
    }

    private static func uncomment(_ line: Substring) -> Substring {
        if line.hasPrefix("# ") { return line.dropFirst(2) }
        if line.hasPrefix("#") { return line.dropFirst() }
        return line
    }
}
