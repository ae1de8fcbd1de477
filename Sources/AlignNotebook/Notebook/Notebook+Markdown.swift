/// A notebook as Markdown: markdown cells as they are, code in ```` ```align ```` fences
/// under an `In [n]:` line, outputs in plain fences. Readable on any forge without Jupyter.
extension Notebook {
    public func markdownText() -> String {
        var blocks: [String] = []
        for cell in cells {
            switch cell.kind {
            case .markdown:
                blocks.append(cell.source)
            case .raw:
                blocks.append(Notebook.fence(cell.source, info: ""))
            case .code:
                let label = cell.executionCount.map { "In [\($0)]:" } ?? "In [ ]:"
                blocks.append("**\(label)**\n\n" + Notebook.fence(cell.source, info: "align"))
                for output in cell.outputs {
                    switch output {
                    case .stdout(let t), .stderr(let t): blocks.append(Notebook.fence(t, info: "text"))
                    case .result(let t):
                        let label = cell.executionCount.map { "Out[\($0)]:" } ?? "Out:"
                        blocks.append("*\(label)*\n\n" + Notebook.fence(t, info: "text"))
                    case .error(_, let rendered): blocks.append(Notebook.fence(rendered, info: "text"))
                    }
                }
            }
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    /// A fenced block whose fence is longer than any backtick run inside the text.
    static func fence(_ text: String, info: String) -> String {
        var longest = 0, run = 0
        for ch in text {
            run = ch == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let marks = String(repeating: "`", count: max(3, longest + 1))
        let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
        return marks + info + "\n" + body + "\n" + marks
    }
}
