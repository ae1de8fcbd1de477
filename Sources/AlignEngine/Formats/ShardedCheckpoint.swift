import Foundation

/// Several weight files presented as one `TensorStore` through a Hugging Face index
/// (`model.safetensors.index.json` or `pytorch_model.bin.index.json`).
///
/// Matches: transformers `modeling_utils` sharded checkpoints: `{"metadata": {...},
/// "weight_map": {"<tensor name>": "<shard file name>"}}`, shards beside the index.
public final class ShardedCheckpoint: TensorStore {
    public let location: String
    public let tensors: [String: StoredTensor]
    public let metadata: [String: MetadataValue]
    public let shards: [TensorStore]

    public init(indexPath: String) throws(EngineError) {
        let index = try HFJSON.read(path: indexPath)
        guard let weightMap = index["weight_map"]?.objectValue else {
            throw .file(indexPath, "missing `weight_map` object")
        }
        let folder = (indexPath as NSString).deletingLastPathComponent
        var shardByFile: [String: TensorStore] = [:]
        var tensors: [String: StoredTensor] = [:]
        for (name, fileValue) in weightMap.sorted(by: { $0.key < $1.key }) {
            guard let fileName = fileValue.stringValue, !fileName.isEmpty, !fileName.contains("/"), fileName != ".." else {
                throw .file(indexPath, "tensor '\(name)': shard must be a file name beside the index")
            }
            let shard: TensorStore
            if let open = shardByFile[fileName] {
                shard = open
            } else {
                shard = try CheckpointFiles.open(file: (folder as NSString).appendingPathComponent(fileName))
                shardByFile[fileName] = shard
            }
            if let tensor = shard.tensors[name] {
                tensors[name] = tensor
            } else if !CheckpointFiles.skipped(in: shard).keys.contains(name) {
                throw .file(indexPath, "tensor '\(name)' is mapped to \(fileName) but that shard does not contain it")
            }
        }
        var metadata: [String: MetadataValue] = [:]
        for (key, value) in index["metadata"]?.objectValue ?? [:] {
            if let v = value.metadataValue { metadata[key] = v }
        }
        self.location = indexPath
        self.tensors = tensors
        self.metadata = metadata
        self.shards = shardByFile.keys.sorted().compactMap { shardByFile[$0] }
    }
}

/// Finding and opening the weight files of a Hugging Face model folder.
public enum CheckpointFiles {
    /// Weight file names in the order transformers prefers them.
    public static let folderCandidates = [
        "model.safetensors", "model.safetensors.index.json",
        "pytorch_model.bin", "pytorch_model.bin.index.json",
    ]

    /// Opens one weight file by its name: `.safetensors`, `.bin`/`.pt`/`.pth`, or a `*.index.json`.
    public static func open(file path: String) throws(EngineError) -> TensorStore {
        if path.hasSuffix(".index.json") { return try ShardedCheckpoint(indexPath: path) }
        if path.hasSuffix(".safetensors") { return try SafetensorsFile(path: path) }
        if path.hasSuffix(".bin") || path.hasSuffix(".pt") || path.hasSuffix(".pth") { return try TorchCheckpoint(path: path) }
        throw .unsupported("\(path): unknown weight file type (expected .safetensors, .bin or *.index.json)")
    }

    /// Opens the weights of a model folder (`config.json` beside `model.safetensors` & co.).
    public static func open(folder: String) throws(EngineError) -> TensorStore {
        guard let name = weightFileName(in: folder) else {
            throw .notFound("weights in \(folder)", folderCandidates.map { (folder as NSString).appendingPathComponent($0) })
        }
        return try open(file: (folder as NSString).appendingPathComponent(name))
    }

    /// The first of `folderCandidates` present in `folder`.
    public static func weightFileName(in folder: String) -> String? {
        folderCandidates.first { FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0)) }
    }

    /// Tensors a store holds in dtypes the engine does not compute with (name → dtype).
    public static func skipped(in store: TensorStore) -> [String: String] {
        switch store {
        case let s as SafetensorsFile: s.skippedTensors
        case let t as TorchCheckpoint: t.skippedTensors
        case let sharded as ShardedCheckpoint: sharded.shards.reduce(into: [:]) { $0.merge(skipped(in: $1)) { a, _ in a } }
        default: [:]
        }
    }
}
