/// A bounds-checked little-endian cursor over a mapped GGUF file. Every read names the field it
/// reads so that a truncated or lying file produces `EngineError.file(path, "… <field> …")`.
struct GGUFReader {
    let file: MappedFile
    private(set) var offset: Int

    init(file: MappedFile, offset: Int = 0) {
        self.file = file
        self.offset = offset
    }

    /// Bytes left after the cursor.
    var remaining: Int { file.size - offset }

    mutating func skip(_ count: Int, what: String) throws(EngineError) {
        _ = try file.bytes(at: offset, count: count, what: what)
        offset += count
    }

    mutating func load<T: FixedWidthInteger>(_ type: T.Type, what: String) throws(EngineError) -> T {
        let raw = try file.bytes(at: offset, count: MemoryLayout<T>.size, what: what)
        offset += MemoryLayout<T>.size
        return T(littleEndian: raw.loadUnaligned(as: T.self))
    }

    mutating func u8(_ what: String) throws(EngineError) -> UInt8 { try load(UInt8.self, what: what) }
    mutating func u32(_ what: String) throws(EngineError) -> UInt32 { try load(UInt32.self, what: what) }
    mutating func u64(_ what: String) throws(EngineError) -> UInt64 { try load(UInt64.self, what: what) }

    mutating func f32(_ what: String) throws(EngineError) -> Float {
        Float(bitPattern: try load(UInt32.self, what: what))
    }

    mutating func f64(_ what: String) throws(EngineError) -> Double {
        Double(bitPattern: try load(UInt64.self, what: what))
    }

    /// A count or length stored as u64, checked to be representable and to fit in the rest of the
    /// file given each item takes at least `minItemBytes` bytes (so a huge count fails before any
    /// allocation).
    mutating func count(_ what: String, minItemBytes: Int) throws(EngineError) -> Int {
        let start = offset
        let raw = try u64(what)
        guard raw <= UInt64(Int.max), Int(raw) <= remaining / max(minItemBytes, 1) else {
            throw .file(file.path, "\(what) \(raw) at offset \(start) exceeds what the file can hold")
        }
        return Int(raw)
    }

    /// A GGUF string: u64 byte length then UTF-8 bytes (invalid sequences are repaired).
    mutating func string(_ what: String) throws(EngineError) -> String {
        let length = try count("length of \(what)", minItemBytes: 1)
        let raw = try file.bytes(at: offset, count: length, what: what)
        offset += length
        return String(decoding: raw, as: UTF8.self)
    }
}
