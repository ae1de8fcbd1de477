/// The one JSON reader of the project: checkpoint files (`HFJSON`), request bodies and the
/// language's data files (`JSON.parse` in AlignRuntime) all parse through it, each building its own
/// tree through a `JSONTreeBuilder`.
///
/// Reads what Python's `json.loads` reads (the files we load are mostly written by Python):
/// RFC 8259, plus `NaN`, `Infinity` and `-Infinity`. Integers (no fraction, no exponent) that fit
/// 64 bits stay integers; other numbers are doubles, so `64.0` and `1e2` are doubles. Objects keep
/// file order and repeated keys, which the builder resolves. Lone surrogate escapes become U+FFFD
/// (Swift strings cannot hold them); a UTF-8 byte-order mark is skipped. Containers nested deeper
/// than `maximumDepth` are an error rather than a stack overflow.
///
/// Generic code is `@inlinable` so that each builder's module gets a specialised copy; parsing
/// through an unspecialised generic would copy every node through value witnesses.
public enum JSONReader {
    /// The nesting depth both Foundation's `JSONDecoder` and our readers have always refused beyond.
    public static let maximumDepth = 512

    /// Parses exactly one JSON value (surrounded by optional whitespace) from `bytes`.
    @inlinable
    public static func parse<Builder: JSONTreeBuilder>(
        _ bytes: UnsafeRawBufferPointer, into builder: Builder, maximumDepth: Int = JSONReader.maximumDepth
    ) throws(JSONReadError) -> Builder.Node {
        var cursor = JSONCursor(bytes: bytes, builder: builder, maximumDepth: maximumDepth)
        cursor.skipWhitespace()
        let value = try cursor.parseValue(depth: 0)
        cursor.skipWhitespace()
        guard cursor.atEnd else { throw cursor.failure("unexpected text after the JSON value") }
        return value
    }
}

/// Makes one kind of tree node from the values `JSONReader` reads.
public protocol JSONTreeBuilder {
    associatedtype Node
    func null() -> Node
    func bool(_ value: Bool) -> Node
    func int(_ value: Int64) -> Node
    func double(_ value: Double) -> Node
    func string(_ value: String) -> Node
    func array(_ items: [Node]) -> Node
    /// Members in file order; a repeated key appears once per occurrence.
    func object(_ members: [(key: String, value: Node)]) -> Node
}

/// Where parsing stopped and why. `line` and `column` are 1-based; the column counts Unicode
/// scalars, as editors do.
public struct JSONReadError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// Byte offset into the parsed buffer.
    public let offset: Int
    public let line: Int
    public let column: Int

    /// Locates `offset` in `bytes` (only on the error path, so the scan costs nothing otherwise).
    @usableFromInline
    init(_ message: String, at offset: Int, in bytes: UnsafeRawBufferPointer) {
        let target = max(0, min(offset, bytes.count))
        var line = 1, lineStart = 0
        for k in 0..<target where bytes[k] == UInt8(ascii: "\n") {
            line += 1
            lineStart = k + 1
        }
        var column = 1
        for k in lineStart..<target where bytes[k] & 0xC0 != 0x80 { column += 1 }
        self.message = message
        self.offset = target
        self.line = line
        self.column = column
    }

    /// `3:7: expected ':' after the key`.
    public var description: String { "\(line):\(column): \(message)" }
}

/// The parsing state: a position in the bytes and the builder that receives values.
@usableFromInline
struct JSONCursor<Builder: JSONTreeBuilder> {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline let builder: Builder
    @usableFromInline let maximumDepth: Int
    @usableFromInline var i: Int
    /// Reused for strings with escapes, so each one does not allocate its own buffer.
    @usableFromInline var scratch: [UInt8] = []

    @inlinable
    init(bytes: UnsafeRawBufferPointer, builder: Builder, maximumDepth: Int) {
        self.bytes = bytes
        self.builder = builder
        self.maximumDepth = maximumDepth
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        i = bom ? 3 : 0
    }

    @inlinable var atEnd: Bool { i >= bytes.count }

    @inlinable
    func failure(_ message: String, at offset: Int? = nil) -> JSONReadError {
        JSONReadError(message, at: offset ?? i, in: bytes)
    }

    @inlinable
    mutating func skipWhitespace() {
        while i < bytes.count {
            let b = bytes[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            i += 1
        }
    }

    @inlinable
    mutating func parseValue(depth: Int) throws(JSONReadError) -> Builder.Node {
        guard i < bytes.count else { throw failure("unexpected end of input, expected a value") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return builder.string(try parseString())
        case UInt8(ascii: "t"): try keyword("true"); return builder.bool(true)
        case UInt8(ascii: "f"): try keyword("false"); return builder.bool(false)
        case UInt8(ascii: "n"): try keyword("null"); return builder.null()
        case UInt8(ascii: "N"): try keyword("NaN"); return builder.double(.nan)
        case UInt8(ascii: "I"): try keyword("Infinity"); return builder.double(.infinity)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("unexpected character \(Self.describe(bytes[i])), expected a value")
        }
    }

    @usableFromInline
    static func describe(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
    }

    @inlinable
    mutating func keyword(_ word: StaticString) throws(JSONReadError) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - i >= count else { throw failure("invalid literal, expected `\(word)`") }
        let w = word.utf8Start
        for k in 0..<count where bytes[i + k] != w[k] { throw failure("invalid literal, expected `\(word)`") }
        i += count
    }

    @inlinable
    mutating func parseObject(depth: Int) throws(JSONReadError) -> Builder.Node {
        guard depth <= maximumDepth else { throw failure("nesting deeper than \(maximumDepth) levels") }
        i += 1
        var members: [(key: String, value: Builder.Node)] = []
        skipWhitespace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") { i += 1; return builder.object(members) }
        while true {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                throw failure(atEnd ? "unexpected end of input, expected a key" : "expected a string key")
            }
            let key = try parseString()
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw failure("expected ':' after the key") }
            i += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth)))
            skipWhitespace()
            guard i < bytes.count else { throw failure("unexpected end of input, expected ',' or '}'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return builder.object(members) }
            throw failure("expected ',' or '}' in object")
        }
    }

    @inlinable
    mutating func parseArray(depth: Int) throws(JSONReadError) -> Builder.Node {
        guard depth <= maximumDepth else { throw failure("nesting deeper than \(maximumDepth) levels") }
        i += 1
        var items: [Builder.Node] = []
        skipWhitespace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1; return builder.array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard i < bytes.count else { throw failure("unexpected end of input, expected ',' or ']'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return builder.array(items) }
            throw failure("expected ',' or ']' in array")
        }
    }
}
