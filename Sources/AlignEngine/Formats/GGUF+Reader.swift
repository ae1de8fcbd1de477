/// A bounds-checked little-endian cursor over a mapped GGUF file. Every read names the field it
/// reads so that a truncated or lying file produces `EngineError.file(path, "… <field> …")`;
/// names are built only on failure (a vocabulary has ~150k values).
struct GGUFReader {
    let file: MappedFile
    private(set) var offset: Int

    init(file: MappedFile, offset: Int = 0) {
        self.file = file
        self.offset = offset
    }

    /// Bytes left after the cursor.
    var remaining: Int { file.size - offset }

    /// The `count` bytes at the cursor, which then moves past them.
    mutating func take(_ count: Int, what: @autoclosure () -> String) throws(EngineError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= file.size - offset else {
            return try file.bytes(at: offset, count: count, what: what())
        }
        defer { offset += count }
        return UnsafeRawBufferPointer(start: file.base + offset, count: count)
    }

    mutating func load<T: FixedWidthInteger>(_ type: T.Type, what: @autoclosure () -> String) throws(EngineError) -> T {
        let raw = try take(MemoryLayout<T>.size, what: what())
        return T(littleEndian: raw.loadUnaligned(as: T.self))
    }

    mutating func u8(_ what: @autoclosure () -> String) throws(EngineError) -> UInt8 { try load(UInt8.self, what: what()) }
    mutating func u32(_ what: @autoclosure () -> String) throws(EngineError) -> UInt32 { try load(UInt32.self, what: what()) }
    mutating func u64(_ what: @autoclosure () -> String) throws(EngineError) -> UInt64 { try load(UInt64.self, what: what()) }

    mutating func f32(_ what: @autoclosure () -> String) throws(EngineError) -> Float {
        Float(bitPattern: try load(UInt32.self, what: what()))
    }

    mutating func f64(_ what: @autoclosure () -> String) throws(EngineError) -> Double {
        Double(bitPattern: try load(UInt64.self, what: what()))
    }

    /// A count or length stored as u64, checked to be representable and to fit in the rest of the
    /// file given each item takes at least `minItemBytes` bytes (so a huge count fails before any
    /// allocation).
    mutating func count(_ what: @autoclosure () -> String, minItemBytes: Int) throws(EngineError) -> Int {
        let start = offset
        let raw = try u64(what())
        guard raw <= UInt64(Int.max), Int(raw) <= remaining / max(minItemBytes, 1) else {
            throw .file(file.path, "\(what()) \(raw) at offset \(start) exceeds what the file can hold")
        }
        return Int(raw)
    }

    /// A GGUF string: u64 byte length then UTF-8 bytes (invalid sequences are repaired).
    mutating func string(_ what: @autoclosure () -> String) throws(EngineError) -> String {
        let length = try count("length of \(what())", minItemBytes: 1)
        return String(decoding: try take(length, what: what()), as: UTF8.self)
    }
}
