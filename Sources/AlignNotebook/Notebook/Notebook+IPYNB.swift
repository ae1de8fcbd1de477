import AlignRuntime

/// Writing nbformat 4.5 JSON the way `nbformat.write` does: keys sorted, one-space indent,
/// multi-line strings as lists of lines, a final newline.
/// Matches: nbformat 5.x `nbformat.v4.nbjson.JSONWriter` (`json.dumps(..., sort_keys=True,
/// indent=1, ensure_ascii=False)` after `split_lines`).
extension Notebook {
    public static let formatMajor = 4
    public static let formatMinor = 5

    public func ipynbText() -> String {
        let root = Record([
            ("cells", .list(cells.map(\.json))),
            ("metadata", .record(metadata)),
            ("nbformat", .int(Notebook.formatMajor)),
            ("nbformat_minor", .int(Notebook.formatMinor)),
        ])
        // Every value here is plain data, so encoding cannot fail.
        let text = (try? JSON.encode(Notebook.sortedKeys(.record(root)), indent: 1)) ?? "{}"
        return text + "\n"
    }

    /// `text` as nbformat stores multi-line strings: lines keeping their `\n`.
    static func lines(_ text: String) -> Value {
        var parts: [Value] = []
        var line = ""
        for ch in text {
            line.append(ch)
            if ch == "\n" {
                parts.append(.string(line))
                line = ""
            }
        }
        if !line.isEmpty { parts.append(.string(line)) }
        return .list(parts)
    }

    static func sortedKeys(_ value: Value) -> Value {
        switch value {
        case .record(let r):
            return .record(Record(r.pairs.sorted { $0.key < $1.key }.map { ($0.key, sortedKeys($0.value)) }))
        case .list(let items):
            return .list(items.map(sortedKeys))
        default:
            return value
        }
    }
}

extension Notebook.Cell {
    var json: Value {
        var r = Record([
            ("cell_type", .string(kind.rawValue)),
            ("id", .string(id)),
            ("metadata", .record(metadata)),
            ("source", Notebook.lines(source)),
        ])
        if kind == .code {
            r["execution_count"] = executionCount.map(Value.int) ?? .null
            r["outputs"] = .list(outputs.map { $0.json(executionCount: executionCount) })
        }
        return .record(r)
    }
}

extension CellOutput {
    func json(executionCount: Int?) -> Value {
        switch self {
        case .stdout(let text), .stderr(let text):
            let name: String
            if case .stdout = self { name = "stdout" } else { name = "stderr" }
            return .record(Record([("name", .string(name)), ("output_type", .string("stream")),
                                   ("text", Notebook.lines(text))]))
        case .result(let text):
            return .record(Record([
                ("data", .record(Record([("text/plain", Notebook.lines(text))]))),
                ("execution_count", executionCount.map(Value.int) ?? .null),
                ("metadata", .record(Record())),
                ("output_type", .string("execute_result")),
            ]))
        case .error(let message, let rendered):
            let traceback = rendered.split(separator: "\n", omittingEmptySubsequences: false).map { Value.string(String($0)) }
            return .record(Record([("ename", .string("error")), ("evalue", .string(message)),
                                   ("output_type", .string("error")), ("traceback", .list(traceback))]))
        }
    }
}
