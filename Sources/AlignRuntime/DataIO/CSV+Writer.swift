/// Writing CSV: the reader's dialect in reverse, so what `write` produces `read` gives back.
extension CSV {
    /// CSV text with a header row, `\n` line ends and no byte order mark. A cell is quoted only
    /// when it must be: it holds the delimiter, a quote, CR or LF, or starts or ends with
    /// whitespace. `null` becomes an empty cell; lists and records are written as JSON text;
    /// a lone empty cell is written as `""` so the row does not read back as a blank line.
    /// Matches: Python `csv.writer` with `QUOTE_MINIMAL` (plus quoting of edge whitespace).
    public static func encode(_ table: Table, delimiter: Character = ",") throws -> String {
        var out = ""
        let separator = String(delimiter)
        func appendRow(_ cells: [String]) {
            if cells.count == 1 && cells[0].isEmpty {
                out += "\"\"\n"
                return
            }
            out += cells.map { quoteIfNeeded($0, delimiter: delimiter) }.joined(separator: separator)
            out += "\n"
        }
        if !table.columnNames.isEmpty { appendRow(table.columnNames) }
        for r in 0..<table.rowCount {
            appendRow(try table.columns.map { try cellText($0[r]) })
        }
        return out
    }

    static func cellText(_ value: Value) throws -> String {
        switch value {
        case .null: return ""
        case .string(let s): return s
        case .list, .record, .table: return try JSON.encode(value)
        case .function, .module, .handle: throw JSONEncodingError(typeName: value.typeName)
        default: return value.displayString
        }
    }

    static func quoteIfNeeded(_ cell: String, delimiter: Character) -> String {
        let needsQuotes = cell.contains { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || cell.first?.isWhitespace == true || cell.last?.isWhitespace == true
        guard needsQuotes else { return cell }
        var quoted = "\""
        for ch in cell {
            if ch == "\"" { quoted += "\"\"" } else { quoted.append(ch) }
        }
        return quoted + "\""
    }
}
