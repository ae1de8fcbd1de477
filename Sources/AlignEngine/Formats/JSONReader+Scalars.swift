/// Numbers and strings: the bulk of a tokenizer.json, so both have a fast path for the common
/// case (short integers; strings without escapes) that builds nothing it does not return.
extension JSONCursor {
    @inlinable
    mutating func parseNumber() throws(JSONReadError) -> Builder.Node {
        let start = i
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative {
            i += 1
            if i < bytes.count && bytes[i] == UInt8(ascii: "I") {
                try keyword("Infinity")
                return builder.double(-.infinity)
            }
        }
        let wholeStart = i
        var magnitude: UInt64 = 0
        while i < bytes.count, case let d = bytes[i] &- UInt8(ascii: "0"), d < 10 {
            // Wraps past 19 digits; such numbers are re-read from their text below.
            magnitude = magnitude &* 10 &+ UInt64(d)
            i += 1
        }
        let wholeDigits = i - wholeStart
        guard wholeDigits > 0 else { throw failure("expected digits in number") }
        if bytes[wholeStart] == UInt8(ascii: "0") && wholeDigits > 1 {
            throw failure("numbers must not have leading zeros", at: wholeStart)
        }
        var isFloat = false
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            isFloat = true
            guard skipDigits() > 0 else { throw failure("expected digits after '.'") }
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            isFloat = true
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard skipDigits() > 0 else { throw failure("expected digits in exponent") }
        }
        if !isFloat && wholeDigits <= 18 {
            let value = Int64(magnitude)
            return builder.int(negative ? -value : value)
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        if !isFloat, let n = Int64(text) { return builder.int(n) }
        guard let d = Double(text) else { throw failure("invalid number", at: start) }
        return builder.double(d)
    }

    @inlinable
    mutating func skipDigits() -> Int {
        let s = i
        while i < bytes.count, bytes[i] &- UInt8(ascii: "0") < 10 { i += 1 }
        return i - s
    }

    /// A string literal starting at the opening quote.
    @inlinable
    mutating func parseString() throws(JSONReadError) -> String {
        let open = i
        i += 1
        let contentStart = i
        var seen: UInt8 = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
            seen |= b
            i += 1
        }
        guard i < bytes.count else { throw failure("unterminated string", at: open) }
        if bytes[i] == UInt8(ascii: "\"") {
            let content = UnsafeRawBufferPointer(rebasing: bytes[contentStart..<i])
            i += 1
            // ASCII needs no validation, and skipping it skips a generic metadata lookup per string.
            let text = content.withMemoryRebound(to: UInt8.self) { units in
                seen < 0x80 ? String(decoding: units, as: UTF8.self) : String(validating: units, as: UTF8.self)
            }
            guard let text else { throw failure("invalid UTF-8 in string", at: open) }
            return text
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[contentStart..<i]))
        return try parseEscapedRest(open: open)
    }

    /// The rest of a string that has escapes (or a bad byte), decoded into `scratch`.
    @inlinable
    mutating func parseEscapedRest(open: Int) throws(JSONReadError) -> String {
        while true {
            guard i < bytes.count else { throw failure("unterminated string", at: open) }
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                i += 1
                guard let s = String(validating: scratch, as: UTF8.self) else {
                    throw failure("invalid UTF-8 in string", at: open)
                }
                return s
            case UInt8(ascii: "\\"):
                i += 1
                guard i < bytes.count else { throw failure("unterminated string", at: open) }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(e)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try parseUnicodeEscape()
                    UTF8.encode(scalar) { scratch.append($0) }
                default: throw failure("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: i - 2)
                }
            case 0x00..<0x20:
                throw failure("control character in string (use an escape such as \\n)")
            default:
                scratch.append(b)
                i += 1
            }
        }
    }

    /// After `\u`: four hex digits, combining a surrogate pair written as two escapes; a lone
    /// surrogate becomes U+FFFD.
    @inlinable
    mutating func parseUnicodeEscape() throws(JSONReadError) -> Unicode.Scalar {
        let high = try hex4()
        if (0xD800..<0xDC00).contains(high), bytes.count - i >= 6,
           bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
            let save = i
            i += 2
            let low = try hex4()
            if (0xDC00..<0xE000).contains(low) {
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
            }
            i = save
        }
        return Unicode.Scalar(high) ?? "\u{FFFD}"
    }

    @inlinable
    mutating func hex4() throws(JSONReadError) -> UInt32 {
        guard bytes.count - i >= 4 else { throw failure("expected four hex digits after \\u") }
        var value: UInt32 = 0
        for k in 0..<4 {
            let b = bytes[i + k]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw failure("expected four hex digits after \\u")
            }
            value = value << 4 | UInt32(digit)
        }
        i += 4
        return value
    }
}
