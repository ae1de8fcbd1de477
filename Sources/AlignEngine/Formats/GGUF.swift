/// A GGUF checkpoint (versions 2 and 3) read in place from a memory mapping.
///
/// Matches: ggml `docs/gguf.md` — magic `GGUF`, u32 version, u64 tensor and metadata counts,
/// key/values, tensor infos (name, dims innermost-first, ggml type, offset relative to the data
/// section), data section aligned to `general.alignment` (default 32).
/// Everything read from the file is bounds-checked: a truncated, lying or corrupt file raises
/// `EngineError.file(path, …)` naming the field, never traps or reads outside the mapping.
public final class GGUFFile: TensorStore {
    public let location: String
    public let version: Int
    public let metadata: [String: MetadataValue]
    public let tensors: [String: StoredTensor]
    /// Tensor names in file order (the dictionary loses it).
    public let tensorNames: [String]
    public let alignment: Int
    /// Start of the tensor data section.
    public let dataOffset: Int
    public let file: MappedFile

    static let magic: UInt32 = 0x4655_4747  // "GGUF" read little-endian
    static let defaultAlignment = 32
    /// ggml's GGML_MAX_DIMS.
    static let maxDims = 4

    public convenience init(path: String) throws(EngineError) {
        try self.init(file: MappedFile(path: path))
    }

    public init(file: MappedFile) throws(EngineError) {
        let path = file.path
        var reader = GGUFReader(file: file)
        let magic = try reader.u32("magic")
        guard magic == Self.magic else { throw .file(path, "not a GGUF file (bad magic)") }
        let version = try reader.u32("version")
        guard version == 2 || version == 3 else {
            throw .file(path, "unsupported GGUF version \(version) (expected 2 or 3, little-endian)")
        }
        // A tensor info takes at least 24 bytes, a key/value at least 13.
        let tensorCount = try reader.count("tensor count", minItemBytes: 24)
        let kvCount = try reader.count("metadata count", minItemBytes: 13)

        var metadata: [String: MetadataValue] = [:]
        metadata.reserveCapacity(kvCount)
        for i in 0..<kvCount {
            let (key, value) = try reader.keyValue(index: i)
            metadata[key] = value
        }

        var alignment = Self.defaultAlignment
        if let a = metadata["general.alignment"] {
            guard let v = a.intValue, v > 0, v <= 1 << 20, v & (v - 1) == 0 else {
                throw .file(path, "general.alignment must be a power of two, got \(a)")
            }
            alignment = v
        }

        var infos: [GGUFTensorInfo] = []
        infos.reserveCapacity(tensorCount)
        for i in 0..<tensorCount { infos.append(try reader.tensorInfo(index: i)) }

        let (aligned, overflow) = reader.offset.addingReportingOverflow(alignment - 1)
        guard !overflow else { throw .file(path, "data section offset overflows") }
        let dataOffset = aligned / alignment * alignment

        var tensors: [String: StoredTensor] = [:]
        tensors.reserveCapacity(tensorCount)
        var names: [String] = []
        for info in infos {
            guard tensors[info.name] == nil else { throw .file(path, "tensor '\(info.name)' appears twice") }
            tensors[info.name] = try info.stored(in: file, dataOffset: dataOffset, alignment: alignment)
            names.append(info.name)
        }

        self.location = path
        self.version = Int(version)
        self.metadata = metadata
        self.tensors = tensors
        self.tensorNames = names
        self.alignment = alignment
        self.dataOffset = dataOffset
        self.file = file
    }

    /// The header (metadata and tensor table) lives on as Swift values; once they are dropped,
    /// its file pages go too, so a loaded model keeps only its weights resident.
    deinit { file.releasePages(file.base, count: dataOffset) }

    /// `general.architecture` (e.g. "llama").
    public var architecture: String? { string("general.architecture") }
}
