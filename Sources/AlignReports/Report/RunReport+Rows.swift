import AlignRuntime

/// The first rows of the run in a table the inline script can filter and sort.
extension RunReport {
    /// Cell text longer than this is folded; the full text stays in the page.
    static let cellFoldLength = 240

    func rowsSection() -> String {
        var out = section("rows", "Rows")
        guard table.rowCount > 0 else { return out + "<p class=\"sub\">No rows.</p>" }
        let shown = min(sampleSize, table.rowCount)
        out += "<p class=\"sub\">The first \(shown) of \(table.rowCount) rows, in file order. Type to filter; click a heading to sort.</p>"
        out += "<p><input id=\"row-filter\" type=\"search\" placeholder=\"filter rows\" aria-label=\"filter rows\"> <span id=\"row-count\" class=\"sub\"></span></p>"
        out += "<table id=\"sample-rows\" class=\"grid\"><thead><tr><th>#</th>"
        out += table.columnNames.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for i in 0..<shown {
            out += "<tr><td class=\"num\">\(i + 1)</td>"
            for column in table.columns { out += cell(column[i]) }
            out += "</tr>"
        }
        return out + "</tbody></table>"
    }

    private func cell(_ value: Value) -> String {
        switch value {
        case .null: return "<td><span class=\"null\">null</span></td>"
        case .int, .float: return "<td class=\"num\">\(HTML.escape(NumberFormat.exact(value)))</td>"
        default:
            let text = NumberFormat.exact(value)
            guard text.count > Self.cellFoldLength else { return "<td>\(HTML.escape(text))</td>" }
            let head = String(text.prefix(Self.cellFoldLength)) + "…"
            return "<td><details><summary>\(HTML.escape(head))</summary>\(HTML.escape(text))</details></td>"
        }
    }
}
