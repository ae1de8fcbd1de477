/// Reading numbers from text (`num("3.5")`, CSV type inference): the decimal forms Python's
/// `int()` and `float()` accept.
enum NumberText {
    /// `42` and `-7` give ints; `3.5`, `.5`, `5.`, `1e-3`, `nan`, `inf`, `-Infinity` give floats;
    /// surrounding whitespace is ignored. An integer too large for 64 bits gives a float.
    /// Anything else (`""`, `1,000`, `0x10`, `abc`) gives `nil`.
    static func parse(_ text: String) -> Value? {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        var body = Substring(trimmed)
        var negative = false
        if let first = body.first, first == "+" || first == "-" {
            negative = first == "-"
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "nan": return .float(.nan)
        case "inf", "infinity": return .float(negative ? -.infinity : .infinity)
        default: break
        }
        guard isDecimal(body) else { return nil }
        if body.allSatisfy(\.isASCIIDigit) {
            if let i = Int(trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed) { return .int(i) }
        }
        return Double(trimmed).map(Value.float)
    }

    /// `digits[.digits][e[+-]digits]` with at least one digit in the mantissa.
    private static func isDecimal(_ s: Substring) -> Bool {
        var chars = s[...]
        let whole = chars.prefix(while: \.isASCIIDigit)
        chars = chars.dropFirst(whole.count)
        var fractionDigits = 0
        if chars.first == "." {
            chars = chars.dropFirst()
            let fraction = chars.prefix(while: \.isASCIIDigit)
            fractionDigits = fraction.count
            chars = chars.dropFirst(fraction.count)
        }
        guard whole.count + fractionDigits > 0 else { return false }
        if let e = chars.first, e == "e" || e == "E" {
            chars = chars.dropFirst()
            if let sign = chars.first, sign == "+" || sign == "-" { chars = chars.dropFirst() }
            let exponent = chars.prefix(while: \.isASCIIDigit)
            guard !exponent.isEmpty else { return false }
            chars = chars.dropFirst(exponent.count)
        }
        return chars.isEmpty
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    /// The string without leading and trailing whitespace and newlines (no Foundation needed).
    func trimmingWhitespace() -> String {
        guard let start = firstIndex(where: { !$0.isWhitespace }),
              let end = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[start...end])
    }
}
