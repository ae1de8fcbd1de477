/// GGUF metadata values and typed accessors for the keys model and tokenizer code read.
/// Matches: ggml `docs/gguf.md` value types (GGUF v2/v3).
enum GGUFValueType: UInt32 {
    case uint8 = 0, int8, uint16, int16, uint32, int32, float32, bool, string, array, uint64, int64, float64

    /// Smallest encoding of one value, used to bound array counts before allocating.
    var minBytes: Int {
        switch self {
        case .uint8, .int8, .bool: 1
        case .uint16, .int16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64, .string: 8
        case .array: 12
        }
    }
}

extension GGUFReader {
    /// Nested arrays deeper than this are refused so a hostile file cannot exhaust the stack.
    static let maxArrayDepth = 8

    mutating func value(of type: GGUFValueType, key: String, depth: Int = 0) throws(EngineError) -> MetadataValue {
        func what() -> String { "value of '\(key)'" }
        switch type {
        case .uint8: return .uint(UInt64(try u8(what())))
        case .int8: return .int(Int64(Int8(bitPattern: try u8(what()))))
        case .uint16: return .uint(UInt64(try load(UInt16.self, what: what())))
        case .int16: return .int(Int64(try load(Int16.self, what: what())))
        case .uint32: return .uint(UInt64(try u32(what())))
        case .int32: return .int(Int64(try load(Int32.self, what: what())))
        case .float32: return .float(Double(try f32(what())))
        case .bool: return .bool(try u8(what()) != 0)
        case .string: return .string(try string(what()))
        case .uint64: return .uint(try u64(what()))
        case .int64: return .int(try load(Int64.self, what: what()))
        case .float64: return .float(try f64(what()))
        case .array:
            guard depth < Self.maxArrayDepth else {
                throw .file(file.path, "'\(key)' nests arrays deeper than \(Self.maxArrayDepth)")
            }
            let rawType = try u32("element type of '\(key)'")
            guard let elementType = GGUFValueType(rawValue: rawType) else {
                throw .file(file.path, "'\(key)' has unknown array element type \(rawType)")
            }
            let n = try count("element count of '\(key)'", minItemBytes: elementType.minBytes)
            var items: [MetadataValue] = []
            items.reserveCapacity(n)
            for _ in 0..<n { items.append(try value(of: elementType, key: key, depth: depth + 1)) }
            return .array(items)
        }
    }

    /// One key/value pair of the header.
    mutating func keyValue(index: Int) throws(EngineError) -> (String, MetadataValue) {
        let key = try string("key of metadata entry \(index)")
        let rawType = try u32("type of '\(key)'")
        guard let type = GGUFValueType(rawValue: rawType) else {
            throw .file(file.path, "'\(key)' has unknown value type \(rawType)")
        }
        return (key, try value(of: type, key: key))
    }
}

/// Typed metadata lookups. Model and tokenizer code use these instead of matching enum cases.
extension GGUFFile {
    public func string(_ key: String) -> String? { metadata[key]?.stringValue }
    public func int(_ key: String) -> Int? { metadata[key]?.intValue }
    public func double(_ key: String) -> Double? { metadata[key]?.doubleValue }

    public func bool(_ key: String) -> Bool? {
        if case .bool(let b) = metadata[key] { return b }
        return nil
    }

    /// A string array such as `tokenizer.ggml.tokens` or `tokenizer.ggml.merges`.
    public func strings(_ key: String) throws(EngineError) -> [String]? {
        guard let items = metadata[key]?.arrayValue else { return nil }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard let s = item.stringValue else { throw .file(location, "'\(key)'[\(i)] is not a string") }
            out.append(s)
        }
        return out
    }

    /// A numeric array such as `tokenizer.ggml.scores`.
    public func doubles(_ key: String) throws(EngineError) -> [Double]? {
        guard let items = metadata[key]?.arrayValue else { return nil }
        var out: [Double] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard let d = item.doubleValue else { throw .file(location, "'\(key)'[\(i)] is not a number") }
            out.append(d)
        }
        return out
    }

    /// An integer array such as `tokenizer.ggml.token_type`.
    public func ints(_ key: String) throws(EngineError) -> [Int]? {
        guard let items = metadata[key]?.arrayValue else { return nil }
        var out: [Int] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard let v = item.intValue else { throw .file(location, "'\(key)'[\(i)] is not an integer") }
            out.append(v)
        }
        return out
    }
}
