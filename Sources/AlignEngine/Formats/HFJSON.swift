/// A parsed JSON document from a checkpoint folder (`config.json`, tokenizer files, safetensors
/// headers, index files, adapter configs) or a request body. Read by `JSONReader`, which keeps
/// booleans and numbers apart, so `"tie_word_embeddings": true` never reads as `1`, and `64` (an
/// int) apart from `64.0` (a double). A repeated key keeps its last value, as Python's `json` does.
public enum HFJSON: Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([HFJSON])
    case object([String: HFJSON])

    /// Parses `bytes`; `path` names the file in the error, which gives line and column.
    public static func parse(_ bytes: UnsafeRawBufferPointer, path: String,
                             maximumDepth: Int = JSONReader.maximumDepth) throws(EngineError) -> HFJSON {
        do {
            return try JSONReader.parse(bytes, into: HFJSONBuilder(), maximumDepth: maximumDepth)
        } catch {
            throw .file(path, "invalid JSON at \(error.line):\(error.column): \(error.message)")
        }
    }

    /// Reads and parses the JSON file at `path`.
    public static func read(path: String) throws(EngineError) -> HFJSON {
        let file = try MappedFile(path: path)
        return try parse(UnsafeRawBufferPointer(start: file.base, count: file.size), path: path)
    }

    /// Compact JSON-like text for messages.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .int(let i): "\(i)"
        case .double(let d): "\(d)"
        case .string(let s): "\"\(s)\""
        case .array(let a): "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .object(let o): "{" + o.keys.sorted().map { "\"\($0)\": \(o[$0]?.description ?? "")" }.joined(separator: ", ") + "}"
        }
    }

    public subscript(key: String) -> HFJSON? {
        if case .object(let o) = self { o[key] } else { nil }
    }

    public var objectValue: [String: HFJSON]? { if case .object(let o) = self { o } else { nil } }
    public var arrayValue: [HFJSON]? { if case .array(let a) = self { a } else { nil } }
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var isNull: Bool { if case .null = self { true } else { false } }

    /// An integer, also when written as `64.0`.
    public var intValue: Int? {
        switch self {
        case .int(let i): Int(exactly: i)
        case .double(let d): d.rounded() == d && abs(d) < 9e15 ? Int(d) : nil
        default: nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// The same value as engine metadata; objects (which metadata cannot hold) become nil.
    public var metadataValue: MetadataValue? {
        switch self {
        case .null, .object: nil
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .float(d)
        case .string(let s): .string(s)
        case .array(let a): .array(a.compactMap(\.metadataValue))
        }
    }
}

/// Builds `HFJSON` nodes; objects become dictionaries, the last of a repeated key winning.
struct HFJSONBuilder: JSONTreeBuilder {
    func null() -> HFJSON { .null }
    func bool(_ value: Bool) -> HFJSON { .bool(value) }
    func int(_ value: Int64) -> HFJSON { .int(value) }
    func double(_ value: Double) -> HFJSON { .double(value) }
    func string(_ value: String) -> HFJSON { .string(value) }
    func array(_ items: [HFJSON]) -> HFJSON { .array(items) }
    func object(_ members: [(key: String, value: HFJSON)]) -> HFJSON {
        .object(Dictionary(members, uniquingKeysWith: { _, last in last }))
    }
}

/// For callers that still hand a body to Foundation's `JSONDecoder` (`AlignServe`'s
/// `RequestFields`). It guesses each value's type with `try?`, and every wrong guess builds a
/// `DecodingError`: use `HFJSON.parse`, which is many times faster.
extension HFJSON: Decodable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([HFJSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: HFJSON].self)) }
    }
}
