/// A PyTorch `pytorch_model.bin` (zip format) read without executing anything: the restricted
/// unpickler rebuilds the state dict from `<archive>/data.pkl`, and every tensor points into its
/// stored `<archive>/data/<key>` entry in the mapping.
///
/// Matches: `torch.serialization._save` (PyTorch ≥ 1.6 zip layout; legacy pre-1.6 tar/pickle
/// files are refused with a message).
public final class TorchCheckpoint: TensorStore {
    public let location: String
    public let tensors: [String: StoredTensor]
    public let metadata: [String: MetadataValue] = [:]
    /// Tensors in storages the engine does not compute with (e.g. `LongStorage`): name → storage type.
    public let skippedTensors: [String: String]
    public let file: MappedFile

    public init(path: String) throws(EngineError) {
        let file = try MappedFile(path: path)
        if file.size >= 2, file.base.load(as: UInt8.self) == 0x80 {
            throw .unsupported("\(path): legacy (pre-1.6, non-zip) torch.save format; re-save it with a current PyTorch or as safetensors")
        }
        let archive = try ZipArchive(file: file)
        guard let pickleName = archive.entries.keys.filter({ $0.hasSuffix("data.pkl") }).min(by: { $0.count < $1.count }) else {
            throw .file(path, "no `data.pkl` in the zip archive; not a PyTorch checkpoint")
        }
        let prefix = String(pickleName.dropLast("data.pkl".count))
        guard let pickleEntry = archive.entries[pickleName] else { throw .file(path, "missing \(pickleName)") }
        var unpickler = RestrictedUnpickler(bytes: try archive.data(of: pickleEntry), path: "\(path):\(pickleName)")
        // The unpickled containers live as long as the unpickler's arena.
        defer { withExtendedLifetime(unpickler) {} }
        let root = try unpickler.load()
        guard let stateDict = Self.stateDict(root) else {
            throw .file(path, "the pickled object is not a state dict of tensors")
        }

        var tensors: [String: StoredTensor] = [:]
        var skipped: [String: String] = [:]
        for (key, value) in stateDict.items {
            guard case .string(let name) = key, case .tensor(let ref) = value else { continue }
            let typeName = ref.storage.typeName
            guard case .some(.some(let dtype)) = PickleAllowList.storages[typeName] else {
                skipped[name] = typeName
                continue
            }
            let entryName = "\(prefix)data/\(ref.storage.key)"
            guard let entry = archive.entries[entryName] else {
                throw .file(path, "tensor '\(name)': storage entry '\(entryName)' is missing")
            }
            let storage = try archive.data(of: entry)
            let bytes = try Self.view(ref, dtype: dtype, storage: storage, name: name, path: path)
            tensors[name] = StoredTensor(name: name, dtype: dtype, shape: ref.shape, bytes: bytes, owner: file)
        }
        self.location = path
        self.file = file
        self.tensors = tensors
        self.skippedTensors = skipped
    }

    /// The tensor's bytes inside its storage; only contiguous row-major views can be used in place.
    private static func view(_ ref: TorchTensorRef, dtype: DType, storage: UnsafeRawBufferPointer,
                             name: String, path: String) throws(EngineError) -> UnsafeRawBufferPointer {
        guard ref.shape.count == ref.stride.count, ref.shape.allSatisfy({ $0 >= 0 }), ref.offset >= 0 else {
            throw .file(path, "tensor '\(name)': bad shape \(ref.shape) / stride \(ref.stride)")
        }
        var expected = 1
        var count = 1
        for (dim, stride) in zip(ref.shape, ref.stride).reversed() {
            guard dim <= 1 || stride == expected else {
                throw .unsupported("\(path): tensor '\(name)' is a non-contiguous view (stride \(ref.stride)); save it contiguous")
            }
            let (next, overflow) = expected.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw .file(path, "tensor '\(name)': shape \(ref.shape) is too large") }
            expected = next
            count = next
        }
        let width = dtype.blockBytes
        let (start, o1) = ref.offset.multipliedReportingOverflow(by: width)
        let (length, o2) = count.multipliedReportingOverflow(by: width)
        guard !o1, !o2, start <= storage.count, length <= storage.count - start else {
            throw .file(path, "tensor '\(name)': \(ref.shape) at element \(ref.offset) lies outside its storage (\(storage.count) bytes)")
        }
        return UnsafeRawBufferPointer(rebasing: storage[start..<(start + length)])
    }

    /// The dict of tensors: the root itself, or a `state_dict` / `model` entry of it.
    private static func stateDict(_ root: PickleValue) -> PickleDict? {
        guard case .dict(let dict) = root else { return nil }
        if dict.items.contains(where: { if case .tensor = $0.value { true } else { false } }) { return dict }
        for case (.string(let key), .dict(let inner)) in dict.items where key == "state_dict" || key == "model" {
            return inner
        }
        return dict.items.isEmpty ? dict : nil
    }
}
