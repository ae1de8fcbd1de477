/// How values print. `print`/`str`/interpolation use `displayString` (strings bare);
/// nested values and the REPL use `reprString` (strings quoted).
extension Value {
    /// Strings bare, objectives as their text, and a list of objectives as their texts joined
    /// with `"; "` — the form MetaAligner prompts expect when a template interpolates objectives.
    public var displayString: String {
        switch self {
        case .string(let s): return s
        case .objective(let o): return o.text
        case .list(let items) where !items.isEmpty:
            var texts: [String] = []
            for item in items {
                guard case .objective(let o) = item else { return reprString }
                texts.append(o.text)
            }
            return texts.joined(separator: "; ")
        default: return reprString
        }
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
            let fields = r.pairs.map { Value.recordKey($0.key) + ": " + $0.value.reprString }
            return "{" + fields.joined(separator: ", ") + "}"
        case .table(let t):
            let shape = "\(t.rowCount) rows × \(t.columnNames.count) columns"
            return "<table \(shape): \(t.columnNames.joined(separator: ", "))>"
        case .function(let f): return "<fn \(f.signature)>"
        case .objective(let o): return "<objective \(o.name): \(Value.quote(o.text))>"
        case .module(let m): return "<module \(m.name)>"
        case .handle(let h): return "<\(h.typeName) \(h.summary)>"
        }
    }

    /// A record key as written in a record literal: bare when it is an identifier, else quoted
    /// (`{query: "…", "gpt-3.5-turbo": "…"}`).
    static func recordKey(_ key: String) -> String {
        guard let first = key.unicodeScalars.first, first == "_" || isASCIILetter(first),
              key.unicodeScalars.allSatisfy({ $0 == "_" || isASCIILetter($0) || ("0"..."9").contains($0) })
        else { return quote(key) }
        return key
    }

    private static func isASCIILetter(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c)
    }

    /// Shortest digits that round-trip, laid out as Python's `repr(float)` does: positional for
    /// decimal exponents -4 through 15 (always with a `.`), scientific otherwise (`1e-05`,
    /// `1e+16`); `-0.0`, `nan`, `inf`, `-inf`.
    /// Matches: CPython `float.__repr__` (format code `r`).
    public static func formatFloat(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        let (digits, point) = shortestDigits(abs(d))
        let sign = d < 0 ? "-" : ""
        let exponent = point - 1
        if exponent >= -4 && exponent < 16 {
            if point <= 0 {
                return sign + "0." + String(repeating: "0", count: -point) + digits
            }
            if point >= digits.count {
                return sign + digits + String(repeating: "0", count: point - digits.count) + ".0"
            }
            let cut = digits.index(digits.startIndex, offsetBy: point)
            return sign + digits[..<cut] + "." + digits[cut...]
        }
        let rest = digits.dropFirst()
        let mantissa = rest.isEmpty ? String(digits.prefix(1)) : digits.prefix(1) + "." + rest
        let magnitude = String(abs(exponent))
        let paddedExponent = magnitude.count < 2 ? "0" + magnitude : magnitude
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + paddedExponent
    }

    /// The shortest round-tripping decimal digits of a positive finite `d` (Swift's `description`
    /// computes them) and the position of the decimal point: `d = 0.DIGITS × 10^point`.
    private static func shortestDigits(_ d: Double) -> (digits: String, point: Int) {
        let text = d.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts.first ?? ""
        let halves = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = halves.first ?? ""
        let fraction = halves.count > 1 ? halves[1] : ""
        var digits = Array(whole + fraction)
        var point = whole.count + exponent
        while let first = digits.first, first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == "0" { digits.removeLast() }
        return (String(digits), point)
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
