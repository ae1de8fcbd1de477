/// A memory-mapped `.safetensors` file.
///
/// Matches: the safetensors format (huggingface/safetensors `docs/source/index.mdx`): an unsigned
/// little-endian u64 header length N, N bytes of JSON mapping tensor names to
/// `{dtype, shape, data_offsets: [begin, end]}` (offsets relative to the byte after the header),
/// an optional `__metadata__` string map, then the raw row-major little-endian data.
/// Every length and offset is checked against the file before any byte is read.
public final class SafetensorsFile: TensorStore {
    public let location: String
    public let tensors: [String: StoredTensor]
    public let metadata: [String: MetadataValue]
    /// Tensors stored in a dtype the engine does not compute with (e.g. the I64
    /// `embeddings.position_ids` of BERT checkpoints): name → safetensors dtype. Models that
    /// need one of these report it by name instead of failing on a missing tensor.
    public let skippedTensors: [String: String]
    public let file: MappedFile

    /// Byte size of one element of every dtype the format defines.
    static let elementBytes: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "F8_E8M0": 1,
        "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
        "I32": 4, "U32": 4, "F32": 4,
        "F64": 8, "I64": 8, "U64": 8,
    ]
    static let computeDTypes: [String: DType] = ["F32": .f32, "F16": .f16, "BF16": .bf16]

    public init(path: String) throws(EngineError) {
        let file = try MappedFile(path: path)
        guard file.size >= 8 else { throw .file(path, "too short for a safetensors header (\(file.size) bytes)") }
        let headerLength = file.base.loadUnaligned(as: UInt64.self).littleEndian
        guard headerLength <= UInt64(file.size - 8) else {
            throw .file(path, "header length \(headerLength) exceeds the file (\(file.size) bytes); truncated or not safetensors")
        }
        let header = try HFJSON.parse(try file.bytes(at: 8, count: Int(headerLength), what: "header"), path: path)
        guard let entries = header.objectValue else { throw .file(path, "header is not a JSON object") }
        let dataStart = 8 + Int(headerLength)
        let dataSize = file.size - dataStart

        var tensors: [String: StoredTensor] = [:]
        var skipped: [String: String] = [:]
        var spans: [(begin: Int, end: Int, name: String)] = []
        for (name, entry) in entries where name != "__metadata__" {
            let info = try Self.entry(name, entry, dataSize: dataSize, path: path)
            spans.append((info.begin, info.end, name))
            if let dtype = Self.computeDTypes[info.dtype] {
                let bytes = try file.bytes(at: dataStart + info.begin, count: info.end - info.begin, what: "tensor '\(name)'")
                tensors[name] = StoredTensor(name: name, dtype: dtype, shape: info.shape, bytes: bytes, owner: file)
            } else {
                skipped[name] = info.dtype
            }
        }
        spans.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        for (a, b) in zip(spans, spans.dropFirst()) where b.begin < a.end {
            throw .file(path, "tensors '\(a.name)' and '\(b.name)' overlap (bytes \(a.begin)..<\(a.end) and \(b.begin)..<\(b.end))")
        }

        var metadata: [String: MetadataValue] = [:]
        if let meta = entries["__metadata__"], !meta.isNull {
            guard let fields = meta.objectValue else { throw .file(path, "`__metadata__` is not an object") }
            for (key, value) in fields {
                guard let text = value.stringValue else { throw .file(path, "`__metadata__.\(key)` is not a string") }
                metadata[key] = .string(text)
            }
        }
        self.location = path
        self.file = file
        self.tensors = tensors
        self.skippedTensors = skipped
        self.metadata = metadata
    }

    /// Validates one header entry: a known dtype, a non-negative shape whose byte size equals
    /// the span of its in-bounds offsets.
    private static func entry(_ name: String, _ entry: HFJSON, dataSize: Int, path: String)
        throws(EngineError) -> (dtype: String, shape: [Int], begin: Int, end: Int)
    {
        func bad(_ why: String) -> EngineError { .file(path, "tensor '\(name)': \(why)") }
        guard let dtype = entry["dtype"]?.stringValue else { throw bad("missing `dtype`") }
        guard let width = elementBytes[dtype] else { throw bad("unknown dtype `\(dtype)`") }
        guard let dims = entry["shape"]?.arrayValue else { throw bad("missing `shape`") }
        var shape: [Int] = []
        var count = 1
        for dim in dims {
            guard let d = dim.intValue, d >= 0 else { throw bad("shape \(dims.map(\.intValue)) has a bad dimension") }
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw bad("shape is too large") }
            shape.append(d)
            count = product
        }
        guard let offsets = entry["data_offsets"]?.arrayValue, offsets.count == 2,
              let begin = offsets[0].intValue, let end = offsets[1].intValue
        else { throw bad("missing or malformed `data_offsets`") }
        guard begin >= 0, begin <= end, end <= dataSize else {
            throw bad("data_offsets [\(begin), \(end)] lie outside the data section (\(dataSize) bytes)")
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, bytes == end - begin else {
            throw bad("shape \(shape) of \(dtype) needs \(overflow ? "too many" : "\(bytes)") bytes but data_offsets span \(end - begin)")
        }
        return (dtype, shape, begin, end)
    }
}
