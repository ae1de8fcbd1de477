import AlignRuntime

/// Any JSON-shaped value from a run file as escaped HTML: scalars as text, records as key/value
/// tables, lists of records as tables, long text folded. Used for manifest fields whose shape
/// this report does not know in advance.
enum ValueHTML {
    /// Text longer than this (or with several lines) is folded into a `<details>`.
    static let foldLength = 160
    /// Deeper nesting is shown as compact JSON.
    static let maximumDepth = 4

    static func render(_ value: Value, depth: Int = 0) -> String {
        switch value {
        case .null: return "<span class=\"null\">null</span>"
        case .string(let s): return text(s)
        case .record(let r) where depth < maximumDepth:
            return r.count == 0 ? "<span class=\"null\">{}</span>" : keyValueTable(r.pairs, depth: depth)
        case .list(let items) where depth < maximumDepth:
            if items.isEmpty { return "<span class=\"null\">[]</span>" }
            let records = items.compactMap { if case .record(let r) = $0 { r } else { nil } }
            if records.count == items.count { return recordsTable(records, depth: depth) }
            if items.allSatisfy(isScalar) { return text(items.map(NumberFormat.exact).joined(separator: ", ")) }
            return "<ol>" + items.map { "<li>" + render($0, depth: depth + 1) + "</li>" }.joined() + "</ol>"
        default: return text(NumberFormat.exact(value))
        }
    }

    /// Text, folded with its first line as the summary when long.
    static func text(_ s: String) -> String {
        guard s.count > foldLength || s.contains("\n") else { return HTML.escape(s) }
        let first = s.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let head = first.count > 80 ? String(first.prefix(80)) + "…" : first + " …"
        return "<details><summary>\(HTML.escape(head))</summary><pre>\(HTML.escape(s))</pre></details>"
    }

    static func keyValueTable(_ pairs: [(key: String, value: Value)], depth: Int = 0) -> String {
        var out = "<table class=\"kv\"><tbody>"
        for (key, value) in pairs {
            out += "<tr><th>\(HTML.escape(key))</th><td>\(render(value, depth: depth + 1))</td></tr>"
        }
        return out + "</tbody></table>"
    }

    static func recordsTable(_ records: [Record], depth: Int = 0) -> String {
        var keys: [String] = []
        for r in records { for k in r.keys where !keys.contains(k) { keys.append(k) } }
        var out = "<table class=\"grid\"><thead><tr>" + keys.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for r in records {
            out += "<tr>" + keys.map { "<td>\(render(r[$0] ?? .null, depth: depth + 1))</td>" }.joined() + "</tr>"
        }
        return out + "</tbody></table>"
    }

    private static func isScalar(_ v: Value) -> Bool {
        switch v {
        case .list, .record, .table: false
        default: true
        }
    }
}
