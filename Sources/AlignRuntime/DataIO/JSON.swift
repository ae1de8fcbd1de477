/// Our own JSON reader: objects become records **in file order** (Foundation's
/// `JSONSerialization` loses key order), integers stay `int` and numbers with a fraction or
/// exponent become `float`. Errors carry line:column.
///
/// Follows RFC 8259, plus the non-standard `NaN`, `Infinity` and `-Infinity` that Python's `json`
/// module writes and reads. A repeated key keeps its first position and its last value, as a
/// Python dict does. Lone surrogate escapes become U+FFFD (Swift strings cannot hold them).
public enum JSON {
    /// Containers nested deeper than this are rejected instead of exhausting the stack.
    static let maximumDepth = 512

    /// Parses exactly one JSON value (surrounded by optional whitespace).
    public static func parse(_ text: String, path: String = "<string>") throws -> Value {
        try parse(Array(text.utf8), path: path)
    }

    public static func parse(_ bytes: [UInt8], path: String, firstLine: Int = 1) throws -> Value {
        var parser = JSONParser(bytes: bytes, path: path, firstLine: firstLine)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.atEnd else { throw parser.error("unexpected text after the JSON value") }
        return value
    }
}

struct JSONParser {
    let bytes: [UInt8]
    let path: String
    let firstLine: Int
    var i = 0

    init(bytes: [UInt8], path: String, firstLine: Int) {
        self.bytes = bytes
        self.path = path
        self.firstLine = firstLine
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
    }

    var atEnd: Bool { i >= bytes.count }

    /// An error at the current position, with line and column (in Unicode scalars).
    func error(_ message: String, at offset: Int? = nil) -> DataIOError {
        let target = min(offset ?? i, bytes.count)
        var line = firstLine, lineStart = 0
        for (k, b) in bytes[0..<target].enumerated() where b == UInt8(ascii: "\n") {
            line += 1
            lineStart = k + 1
        }
        let column = 1 + bytes[lineStart..<target].filter { $0 & 0xC0 != 0x80 }.count
        return DataIOError(path: path, line: line, column: column, message)
    }

    mutating func skipWhitespace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }

    mutating func parseValue(depth: Int) throws -> Value {
        guard i < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try keyword("true", .bool(true))
        case UInt8(ascii: "f"): return try keyword("false", .bool(false))
        case UInt8(ascii: "n"): return try keyword("null", .null)
        case UInt8(ascii: "N"): return try keyword("NaN", .float(.nan))
        case UInt8(ascii: "I"): return try keyword("Infinity", .float(.infinity))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character \(describe(bytes[i])), expected a value")
        }
    }

    private func describe(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
    }

    private mutating func keyword(_ word: String, _ value: Value) throws -> Value {
        let w = Array(word.utf8)
        guard bytes.count - i >= w.count, Array(bytes[i..<(i + w.count)]) == w else {
            throw error("invalid literal, expected `\(word)`")
        }
        i += w.count
        return value
    }

    private mutating func parseObject(depth: Int) throws -> Value {
        guard depth <= JSON.maximumDepth else { throw error("nesting deeper than \(JSON.maximumDepth) levels") }
        i += 1
        var record = Record()
        skipWhitespace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") { i += 1; return .record(record) }
        while true {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                throw error(atEnd ? "unexpected end of input, expected a key" : "expected a string key")
            }
            let key = try parseString()
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after the key") }
            i += 1
            skipWhitespace()
            record[key] = try parseValue(depth: depth)
            skipWhitespace()
            guard i < bytes.count else { throw error("unexpected end of input, expected ',' or '}'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .record(record) }
            throw error("expected ',' or '}' in object")
        }
    }

    private mutating func parseArray(depth: Int) throws -> Value {
        guard depth <= JSON.maximumDepth else { throw error("nesting deeper than \(JSON.maximumDepth) levels") }
        i += 1
        var items: [Value] = []
        skipWhitespace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard i < bytes.count else { throw error("unexpected end of input, expected ',' or ']'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
            throw error("expected ',' or ']' in array")
        }
    }

    private mutating func parseNumber() throws -> Value {
        let start = i
        if bytes[i] == UInt8(ascii: "-") {
            i += 1
            if i < bytes.count && bytes[i] == UInt8(ascii: "I") {
                _ = try keyword("Infinity", .null)
                return .float(-.infinity)
            }
        }
        func digits() -> Int {
            let s = i
            while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
            return i - s
        }
        let wholeStart = i
        guard digits() > 0 else { throw error("expected digits in number") }
        if bytes[wholeStart] == UInt8(ascii: "0") && i - wholeStart > 1 {
            throw error("numbers must not have leading zeros", at: wholeStart)
        }
        var isFloat = false
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            isFloat = true
            guard digits() > 0 else { throw error("expected digits after '.'") }
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            isFloat = true
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits() > 0 else { throw error("expected digits in exponent") }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if !isFloat, let n = Int(text) { return .int(n) }
        guard let d = Double(text) else { throw error("invalid number", at: start) }
        return .float(d)
    }

    mutating func parseString() throws -> String {
        let open = i
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw error("unterminated string", at: open) }
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                i += 1
                guard let s = String(validating: out, as: UTF8.self) else {
                    throw error("invalid UTF-8 in string", at: open)
                }
                return s
            case UInt8(ascii: "\\"):
                i += 1
                guard i < bytes.count else { throw error("unterminated string", at: open) }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): out.append(contentsOf: Array(String(try parseUnicodeEscape()).utf8))
                default: throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: i - 2)
                }
            case 0x00..<0x20:
                throw error("control character in string (use an escape such as \\n)")
            default:
                out.append(b)
                i += 1
            }
        }
    }

    /// After `\u`: four hex digits, combining a surrogate pair written as two escapes.
    private mutating func parseUnicodeEscape() throws -> Character {
        let high = try hex4()
        if (0xD800..<0xDC00).contains(high), bytes.count - i >= 6,
           bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
            let save = i
            i += 2
            let low = try hex4()
            if (0xDC00..<0xE000).contains(low) {
                let scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                return Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")
            }
            i = save
        }
        return Character(Unicode.Scalar(high) ?? "\u{FFFD}")
    }

    private mutating func hex4() throws -> UInt32 {
        let isHex: (UInt8) -> Bool = { b in
            (0x30...0x39).contains(b) || (0x41...0x46).contains(b) || (0x61...0x66).contains(b)
        }
        guard bytes.count - i >= 4, bytes[i..<(i + 4)].allSatisfy(isHex),
              let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
            throw error("expected four hex digits after \\u")
        }
        i += 4
        return v
    }
}
