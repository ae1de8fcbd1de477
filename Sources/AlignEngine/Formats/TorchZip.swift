/// The zip container `torch.save` writes (PyTorch ≥ 1.6): entries stored uncompressed, so each
/// tensor's bytes can be used in place in the mapping.
///
/// Matches: PKWARE APPNOTE 6.3 — end-of-central-directory record, the ZIP64 locator and record
/// for archives over 4 GiB, central directory headers with the ZIP64 extra field (id 0x0001),
/// and local file headers (whose extra field length may differ from the central one; PyTorch
/// pads it to align data to 64 bytes).
public struct ZipArchive {
    public struct Entry: Sendable {
        public let name: String
        /// 0 = stored; anything else is compressed.
        public let method: UInt16
        public let compressedSize: Int
        public let size: Int
        let localHeaderOffset: Int
    }

    public let file: MappedFile
    public let entries: [String: Entry]

    public init(file: MappedFile) throws(EngineError) {
        self.file = file
        var reader = ByteReader(file: file)
        let eocd = try Self.findEndOfCentralDirectory(file)
        reader.offset = eocd + 10
        var count = Int(try reader.u16())
        var directorySize = Int(try reader.u32())
        var directoryOffset = Int(try reader.u32())
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            (count, directorySize, directoryOffset) = try Self.zip64Directory(file, eocd: eocd)
        }
        guard directoryOffset <= file.size, directorySize <= file.size - directoryOffset else {
            throw .file(file.path, "zip central directory lies outside the file")
        }
        reader.offset = directoryOffset
        var entries: [String: Entry] = [:]
        for _ in 0..<count {
            let entry = try Self.centralEntry(&reader)
            entries[entry.name] = entry
        }
        self.entries = entries
    }

    /// The bytes of a stored (uncompressed) entry, pointing into the mapping.
    public func data(of entry: Entry) throws(EngineError) -> UnsafeRawBufferPointer {
        guard entry.method == 0 else {
            throw .file(file.path, "zip entry '\(entry.name)' is compressed (method \(entry.method)); only stored entries can be mapped")
        }
        var reader = ByteReader(file: file)
        reader.offset = entry.localHeaderOffset
        guard try reader.u32() == 0x0403_4b50 else { throw .file(file.path, "zip entry '\(entry.name)' has a bad local header") }
        reader.offset = entry.localHeaderOffset + 26
        let nameLength = Int(try reader.u16())
        let extraLength = Int(try reader.u16())
        return try file.bytes(at: entry.localHeaderOffset + 30 + nameLength + extraLength, count: entry.size,
                              what: "zip entry '\(entry.name)'")
    }

    private static func findEndOfCentralDirectory(_ file: MappedFile) throws(EngineError) -> Int {
        let lowest = max(0, file.size - 22 - 0xFFFF)
        var at = file.size - 22
        while at >= lowest {
            if file.base.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian == 0x0605_4b50 { return at }
            at -= 1
        }
        throw .file(file.path, "not a zip archive (no end-of-central-directory record)")
    }

    private static func zip64Directory(_ file: MappedFile, eocd: Int) throws(EngineError) -> (Int, Int, Int) {
        var reader = ByteReader(file: file)
        reader.offset = eocd - 20
        guard try reader.u32() == 0x0706_4b50 else { throw .file(file.path, "zip64 locator missing") }
        reader.offset = eocd - 20 + 8
        reader.offset = try reader.int64()
        guard try reader.u32() == 0x0606_4b50 else { throw .file(file.path, "zip64 end-of-central-directory record missing") }
        reader.offset += 28
        let count = try reader.int64()
        let size = try reader.int64()
        let offset = try reader.int64()
        return (count, size, offset)
    }

    private static func centralEntry(_ reader: inout ByteReader) throws(EngineError) -> Entry {
        let start = reader.offset
        guard try reader.u32() == 0x0201_4b50 else {
            throw .file(reader.file.path, "bad zip central directory header at offset \(start)")
        }
        reader.offset = start + 10
        let method = try reader.u16()
        reader.offset = start + 20
        var compressed = Int(try reader.u32())
        var size = Int(try reader.u32())
        let nameLength = Int(try reader.u16())
        let extraLength = Int(try reader.u16())
        let commentLength = Int(try reader.u16())
        reader.offset = start + 42
        var localOffset = Int(try reader.u32())
        let nameBytes = try reader.file.bytes(at: start + 46, count: nameLength, what: "zip entry name")
        let name = String(decoding: nameBytes, as: UTF8.self)
        // ZIP64 extra: only the fields saturated in the fixed header are present, in this order.
        var extra = start + 46 + nameLength
        let extraEnd = extra + extraLength
        while extra + 4 <= extraEnd {
            reader.offset = extra
            let id = try reader.u16()
            let length = Int(try reader.u16())
            if id == 0x0001 {
                if size == 0xFFFF_FFFF { size = try reader.int64() }
                if compressed == 0xFFFF_FFFF { compressed = try reader.int64() }
                if localOffset == 0xFFFF_FFFF { localOffset = try reader.int64() }
            }
            extra += 4 + length
        }
        reader.offset = extraEnd + commentLength
        return Entry(name: name, method: method, compressedSize: compressed, size: size, localHeaderOffset: localOffset)
    }
}

/// Bounds-checked little-endian reads from a mapped file.
struct ByteReader {
    let file: MappedFile
    var offset = 0

    mutating func u16() throws(EngineError) -> UInt16 {
        let b = try file.bytes(at: offset, count: 2, what: "field at offset \(offset)")
        offset += 2
        return b.loadUnaligned(as: UInt16.self).littleEndian
    }

    mutating func u32() throws(EngineError) -> UInt32 {
        let b = try file.bytes(at: offset, count: 4, what: "field at offset \(offset)")
        offset += 4
        return b.loadUnaligned(as: UInt32.self).littleEndian
    }

    /// A u64 field that must fit an `Int` offset or size.
    mutating func int64() throws(EngineError) -> Int {
        let b = try file.bytes(at: offset, count: 8, what: "field at offset \(offset)")
        offset += 8
        guard let v = Int(exactly: b.loadUnaligned(as: UInt64.self).littleEndian) else {
            throw .file(file.path, "64-bit field at offset \(offset - 8) is too large")
        }
        return v
    }
}
