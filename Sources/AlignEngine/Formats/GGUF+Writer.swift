import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A typed GGUF metadata value for writing. llama.cpp checks value types strictly (a count stored
/// as u64 where it expects u32 is an error), so values copied from another GGUF keep their
/// original encoding as `.raw`.
public enum GGUFValue: Sendable {
    case uint32(UInt32)
    case int32(Int32)
    case float32(Float)
    case bool(Bool)
    case string(String)
    case stringArray([String])
    case float32Array([Float])
    case int32Array([Int32])
    /// A value exactly as another file encoded it: its value-type id and bytes.
    case raw(type: UInt32, bytes: [UInt8])
}

/// One tensor to write: its name, PyTorch-order shape (outermost first) and stored type. The
/// bytes come later from a producer, one tensor at a time, so a 7B model is never held whole.
public struct GGUFTensorPlan: Sendable {
    public let name: String
    public let shape: [Int]
    public let dtype: DType

    public init(name: String, shape: [Int], dtype: DType) {
        self.name = name
        self.shape = shape
        self.dtype = dtype
    }

    public var byteCount: Int { BlockQuantizer.byteCount(dtype, values: shape.reduce(1, *)) }
}

/// Writes GGUF v3 files (alignment 32) atomically: everything goes to `OUT.tmp-<pid>`, which is
/// renamed over `OUT` only when complete; on any failure the temporary file is removed.
/// Matches: ggml `docs/gguf.md` (header, key/values, tensor infos with innermost-first dims and
/// offsets relative to the aligned data section, each tensor's data padded to the alignment).
public struct GGUFWriter {
    public static let alignment = 32
    public var metadata: [(key: String, value: GGUFValue)] = []
    public var tensors: [GGUFTensorPlan] = []

    public init() {}

    /// Sets `key` (replacing an earlier value of the same key, keeping its position).
    public mutating func set(_ key: String, _ value: GGUFValue) {
        if let i = metadata.firstIndex(where: { $0.key == key }) { metadata[i].value = value } else { metadata.append((key, value)) }
    }

    /// Writes the file. `fill(i, buffer)` writes tensor `i`'s `byteCount` bytes into `buffer`.
    public func write(to path: String,
                      fill: (Int, UnsafeMutableRawBufferPointer) throws(EngineError) -> Void) throws(EngineError) {
        let temporary = path + ".tmp-\(getpid())"
        guard let file = fopen(temporary, "wb") else {
            throw .file(path, "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        var closed = false
        defer {
            if !closed { fclose(file) }
            unlink(temporary)  // after a successful rename there is nothing left to remove
        }
        func put(_ bytes: UnsafeRawBufferPointer) throws(EngineError) {
            guard bytes.count == 0 || fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count else {
                throw .file(path, "write failed: \(String(cString: strerror(errno)))")
            }
        }
        let header = headerBytes()
        let headerWritten = header.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) == $0.count }
        guard headerWritten else { throw .file(path, "write failed: \(String(cString: strerror(errno)))") }
        let largest = tensors.map(\.byteCount).max() ?? 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(largest, 1) + Self.alignment, alignment: 64)
        defer { buffer.deallocate() }
        for (i, tensor) in tensors.enumerated() {
            let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<tensor.byteCount])
            try fill(i, slice)
            let padding = Self.padded(tensor.byteCount) - tensor.byteCount
            for k in 0..<padding { buffer[tensor.byteCount + k] = 0 }
            try put(UnsafeRawBufferPointer(rebasing: buffer[0..<tensor.byteCount + padding]))
        }
        guard fflush(file) == 0, fsync(fileno(file)) == 0 else {
            throw .file(path, "write failed: \(String(cString: strerror(errno)))")
        }
        fclose(file)
        closed = true
        guard rename(temporary, path) == 0 else {
            throw .file(path, "cannot rename \(temporary) into place: \(String(cString: strerror(errno)))")
        }
    }

    static func padded(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }

    /// Magic, version, counts, key/values and tensor infos, padded to the data section.
    func headerBytes() -> [UInt8] {
        var out = GGUFBytes()
        out.u32(GGUFFile.magic)
        out.u32(3)
        out.u64(UInt64(tensors.count))
        out.u64(UInt64(metadata.count))
        for (key, value) in metadata {
            out.string(key)
            out.value(value)
        }
        var offset = 0
        for t in tensors {
            out.string(t.name)
            out.u32(UInt32(t.shape.count))
            for d in t.shape.reversed() { out.u64(UInt64(d)) }
            out.u32(GGMLType.id(t.dtype))
            out.u64(UInt64(offset))
            offset += Self.padded(t.byteCount)
        }
        out.bytes.append(contentsOf: [UInt8](repeating: 0, count: Self.padded(out.bytes.count) - out.bytes.count))
        return out.bytes
    }
}

/// Little-endian encoding of GGUF header fields.
struct GGUFBytes {
    var bytes: [UInt8] = []

    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }

    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        u64(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    mutating func value(_ value: GGUFValue) {
        switch value {
        case .uint32(let v): u32(GGUFValueType.uint32.rawValue); u32(v)
        case .int32(let v): u32(GGUFValueType.int32.rawValue); u32(UInt32(bitPattern: v))
        case .float32(let v): u32(GGUFValueType.float32.rawValue); u32(v.bitPattern)
        case .bool(let v): u32(GGUFValueType.bool.rawValue); bytes.append(v ? 1 : 0)
        case .string(let s): u32(GGUFValueType.string.rawValue); string(s)
        case .stringArray(let items):
            arrayHeader(.string, items.count)
            for s in items { string(s) }
        case .float32Array(let items):
            arrayHeader(.float32, items.count)
            for v in items { u32(v.bitPattern) }
        case .int32Array(let items):
            arrayHeader(.int32, items.count)
            for v in items { u32(UInt32(bitPattern: v)) }
        case .raw(let type, let raw):
            u32(type)
            bytes.append(contentsOf: raw)
        }
    }

    private mutating func arrayHeader(_ type: GGUFValueType, _ count: Int) {
        u32(GGUFValueType.array.rawValue)
        u32(type.rawValue)
        u64(UInt64(count))
    }
}

extension GGUFFile {
    /// Every key/value of the header in file order, each with its original type and bytes, so a
    /// writer can copy them unchanged (tokenizer arrays included).
    public func rawMetadata() throws(EngineError) -> [(key: String, value: GGUFValue)] {
        var reader = GGUFReader(file: file, offset: 16)
        let kvCount = try reader.count("metadata count", minItemBytes: 13)
        var out: [(String, GGUFValue)] = []
        for i in 0..<kvCount {
            let key = try reader.string("key of metadata entry \(i)")
            let rawType = try reader.u32("type of '\(key)'")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw .file(location, "'\(key)' has unknown value type \(rawType)")
            }
            let start = reader.offset
            _ = try reader.value(of: type, key: key)
            out.append((key, .raw(type: rawType, bytes: Array(UnsafeRawBufferPointer(start: file.base + start,
                                                                                      count: reader.offset - start)))))
        }
        return out
    }
}
