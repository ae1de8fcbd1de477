import AlignRuntime

/// How the REPL and notebooks show a value: tables (and lists of records, as `show` does) as
/// aligned grids cut to the width and to `maxRows` rows, long strings wrapped inside `"""`,
/// records and lists on one line when they fit and pretty-printed one item per line when not,
/// objectives as their name and text, modules with their members.
///
/// It depends only on AlignRuntime's public API so that `show` can move onto it.
public struct ValueDisplay: Sendable {
    public var width: Int
    public var maxRows: Int
    /// Items of a list (or fields of a record) shown before a `… k more items` line.
    public var maxItems: Int

    public init(width: Int = 100, maxRows: Int = 20, maxItems: Int = 100) {
        self.width = max(20, width)
        self.maxRows = max(1, maxRows)
        self.maxItems = max(1, maxItems)
    }

    /// The display, lines joined with `\n`, without a final newline.
    public func render(_ value: Value) -> String {
        switch value {
        case .table(let t):
            return TableGrid(width: width, maxRows: maxRows).render(t)
        case .list(let items) where !items.isEmpty:
            var rows: [Record] = []
            for item in items {
                guard case .record(let r) = item else { return pretty(value, indent: 0, used: 0) }
                rows.append(r)
            }
            return TableGrid(width: width, maxRows: maxRows).render(Table(rows: rows))
        case .string(let s):
            return string(s)
        case .objective(let o):
            return objective(o)
        case .module(let m):
            return module(m)
        default:
            return pretty(value, indent: 0, used: 0)
        }
    }

    /// Short one-line strings as literals; others as a `"""` block wrapped at the width (line
    /// breaks inside the block are the string's own or soft wraps).
    func string(_ s: String) -> String {
        if !s.contains("\n"), let flat = flat(.string(s), limit: width) { return flat }
        let body = TextWrap.wrap(s, width: width)
        return (["\"\"\""] + body + ["\"\"\""]).joined(separator: "\n")
    }

    func objective(_ o: Objective) -> String {
        let head = "objective \(o.name) ="
        if let text = flat(.string(o.text), limit: width - head.count - 1) { return head + " " + text }
        return ([head] + TextWrap.wrap(o.text, width: width - 2).map { "  " + $0 }).joined(separator: "\n")
    }

    func module(_ m: Module) -> String {
        let n = m.members.count
        let head = "module \(m.name)" + (m.path.isEmpty ? "" : " (\(m.path))") + ": \(n) member\(n == 1 ? "" : "s")"
        guard n > 0 else { return head }
        let names = m.members.pairs.map { "\($0.key) (\($0.value.typeName))" }.joined(separator: ", ")
        return ([head] + TextWrap.wrap(names, width: width - 2).map { "  " + $0 }).joined(separator: "\n")
    }
}
