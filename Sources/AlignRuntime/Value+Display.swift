/// How values print. `print`/`str`/interpolation use `displayString` (strings bare);
/// nested values and the REPL use `reprString` (strings quoted).
extension Value {
    public var displayString: String {
        if case .string(let s) = self { return s }
        return reprString
    }

    public var reprString: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return Value.formatFloat(d)
        case .string(let s): return Value.quote(s)
        case .list(let l): return "[" + l.map(\.reprString).joined(separator: ", ") + "]"
        case .record(let r):
            return "{" + r.pairs.map { "\($0.key): \($0.value.reprString)" }.joined(separator: ", ") + "}"
        case .table(let t): return "<table \(t.rowCount) rows × \(t.columnNames.count) columns: \(t.columnNames.joined(separator: ", "))>"
        case .function(let f): return "<fn \(f.signature)>"
        case .objective(let o): return "<objective \(o.name): \(Value.quote(o.text))>"
        case .module(let m): return "<module \(m.name)>"
        case .handle(let h): return "<\(h.typeName) \(h.summary)>"
        }
    }

    /// Shortest representation that round-trips, always with a `.` or exponent (`2.0`, `1e-05`).
    public static func formatFloat(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        var s = "\(d)"
        if !s.contains(".") && !s.contains("e") && !s.contains("E") { s += ".0" }
        return s
    }

    /// Double-quoted with the language's escapes.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "{": out += "\\{"
            case "}": out += "\\}"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }
}
