import Foundation

/// A parsed JSON document from a checkpoint folder (`config.json`, safetensors headers, index
/// files, adapter configs). Decoded with Foundation's `JSONDecoder`, which keeps booleans and
/// numbers apart, so `"tie_word_embeddings": true` never reads as `1`.
public enum HFJSON: Sendable, Equatable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([HFJSON])
    case object([String: HFJSON])

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

    /// Parses `bytes`; `path` names the file in the error.
    public static func parse(_ bytes: UnsafeRawBufferPointer, path: String) throws(EngineError) -> HFJSON {
        do {
            return try JSONDecoder().decode(HFJSON.self, from: Data(bytes))
        } catch {
            throw .file(path, "invalid JSON: \(Self.reason(error))")
        }
    }

    /// Reads and parses the JSON file at `path`.
    public static func read(path: String) throws(EngineError) -> HFJSON {
        let file = try MappedFile(path: path)
        return try parse(UnsafeRawBufferPointer(start: file.base, count: file.size), path: path)
    }

    private static func reason(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
        }
        return "\(error)"
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
