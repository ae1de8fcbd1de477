/// Renders a table as an aligned text grid for `show` and the REPL:
///
/// ```
/// #  query                 label
/// ─  ────────────────────  ─────
/// 0  Is this post about …  yes
/// 1  I can't sleep\nand …  no
/// … 98 more rows
/// ```
///
/// Rows beyond `maxRows` are summarised in a `… k more rows` line. Cells show `displayString`
/// with newlines and tabs written as `\n` and `\t`, cut with `…` at `maxCellWidth` columns.
/// When the grid is wider than `width`, the widest columns are narrowed first, and columns that
/// still do not fit are left out and named in a `… k more columns: …` line.
public struct TableGrid: Sendable {
    /// Total width available, in terminal columns.
    public var width: Int
    public var maxRows: Int
    public var maxCellWidth: Int

    /// Columns are never narrowed below this many terminal columns before being dropped.
    static let minimumColumnWidth = 6
    static let gap = "  "

    public init(width: Int, maxRows: Int = 20, maxCellWidth: Int = 40) {
        self.width = max(20, width)
        self.maxRows = max(1, maxRows)
        self.maxCellWidth = max(TableGrid.minimumColumnWidth, maxCellWidth)
    }

    /// The grid, lines joined with `\n`, without a final newline.
    public func render(_ table: Table) -> String {
        guard !table.columnNames.isEmpty else { return "(empty table: no columns)" }
        let shown = min(table.rowCount, maxRows)
        let index = (0..<shown).map(String.init)
        let indexWidth = max(1, index.last?.count ?? 1)
        var headers = table.columnNames.map(TableGrid.cellText)
        var cells = table.columns.map { column in column[0..<shown].map { TableGrid.cellText($0.displayString) } }
        var numeric = table.columns.map { column in
            column[0..<shown].allSatisfy { $0.number != nil || $0 == .null } && column[0..<shown].contains { $0.number != nil }
        }
        var widths = zip(headers, cells).map { header, column in
            min(maxCellWidth, column.reduce(TextWidth.of(header)) { max($0, TextWidth.of($1)) })
        }
        func total() -> Int { indexWidth + widths.reduce(0) { $0 + TableGrid.gap.count + $1 } }
        var hidden: [String] = []
        let minimum = widths.map { min($0, TableGrid.minimumColumnWidth) }
        var fitting = 0, used = indexWidth
        while fitting < minimum.count, fitting == 0 || used + TableGrid.gap.count + minimum[fitting] <= width {
            used += TableGrid.gap.count + minimum[fitting]
            fitting += 1
        }
        if fitting < widths.count {
            hidden = Array(headers[fitting...])
            headers.removeLast(widths.count - fitting)
            cells.removeLast(widths.count - fitting)
            numeric.removeLast(widths.count - fitting)
            widths.removeLast(widths.count - fitting)
        }
        while total() > width, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }),
              widths[widest] > TableGrid.minimumColumnWidth {
            widths[widest] -= 1
        }
        var lines: [String] = []
        func line(_ first: String, _ parts: [String]) {
            var text = TextWidth.pad(first, to: indexWidth)
            for (k, part) in parts.enumerated() {
                text += TableGrid.gap + TextWidth.pad(TextWidth.truncate(part, to: widths[k]), to: widths[k],
                                                     alignLeft: !numeric[k])
            }
            while text.last == " " { text.removeLast() }
            lines.append(text)
        }
        line("#", headers)
        line(String(repeating: "─", count: indexWidth), widths.map { String(repeating: "─", count: $0) })
        for r in 0..<shown { line(index[r], cells.map { $0[r] }) }
        if table.rowCount == 0 { lines.append("(no rows)") }
        if table.rowCount > shown { lines.append("… \(table.rowCount - shown) more rows") }
        if !hidden.isEmpty {
            lines.append("… \(hidden.count) more column\(hidden.count == 1 ? "" : "s"): \(hidden.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }

    /// One-line form of a cell: control characters made visible so rows stay one line each.
    static func cellText(_ text: String) -> String {
        guard text.contains(where: { $0.isNewline || $0 == "\t" }) else { return text }
        var out = ""
        for ch in text {
            switch ch {
            case "\n": out += "\\n"
            case "\r\n": out += "\\r\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.append(ch)
            }
        }
        return out
    }
}
