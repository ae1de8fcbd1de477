import AlignEngine

/// The language's JSON reading (`read("rows.json")`, `parse_json`, JSONL, run folders): the
/// engine's `JSONReader` building `Value`s. Objects become records **in file order** (Foundation's
/// `JSONSerialization` loses key order), integers stay `int` and numbers with a fraction or
/// exponent become `float`. Errors carry line:column.
///
/// Follows RFC 8259, plus the non-standard `NaN`, `Infinity` and `-Infinity` that Python's `json`
/// module writes and reads. A repeated key keeps its first position and its last value, as a
/// Python dict does. Lone surrogate escapes become U+FFFD (Swift strings cannot hold them).
public enum JSON {
    /// Containers nested deeper than this are rejected instead of exhausting the stack.
    static let maximumDepth = JSONReader.maximumDepth

    /// Parses exactly one JSON value (surrounded by optional whitespace).
    public static func parse(_ text: String, path: String = "<string>") throws -> Value {
        try parse(Array(text.utf8), path: path)
    }

    /// `firstLine` is the line of `bytes`' first byte in its file (JSONL parses line by line).
    public static func parse(_ bytes: [UInt8], path: String, firstLine: Int = 1) throws -> Value {
        try bytes.withUnsafeBytes { raw throws(DataIOError) in try parse(raw, path: path, firstLine: firstLine) }
    }

    static func parse(_ bytes: UnsafeRawBufferPointer, path: String, firstLine: Int) throws(DataIOError) -> Value {
        do {
            return try JSONReader.parse(bytes, into: ValueBuilder(), maximumDepth: maximumDepth)
        } catch {
            throw DataIOError(path: path, line: error.line + firstLine - 1, column: error.column, error.message)
        }
    }
}

/// Builds `Value`s: objects become records, a repeated key keeping its first position and last value.
struct ValueBuilder: JSONTreeBuilder {
    func null() -> Value { .null }
    func bool(_ value: Bool) -> Value { .bool(value) }
    func int(_ value: Int64) -> Value { .int(Int(value)) }
    func double(_ value: Double) -> Value { .float(value) }
    func string(_ value: String) -> Value { .string(value) }
    func array(_ items: [Value]) -> Value { .list(items) }
    func object(_ members: [(key: String, value: Value)]) -> Value {
        var record = Record()
        for (key, value) in members { record[key] = value }
        return .record(record)
    }
}
