import Foundation

/// Where a model's files are, as found by `ModelResolver`.
public indirect enum ModelSource: Sendable, Equatable, CustomStringConvertible {
    /// A single GGUF file (weights, config and tokenizer inside).
    case gguf(path: String)
    /// A Hugging Face model folder: `config.json` beside the weights and tokenizer files.
    case folder(path: String)
    /// A PEFT adapter folder and the base model it applies to.
    case adapter(path: String, base: ModelSource)

    public var description: String {
        switch self {
        case .gguf(let path): "GGUF \(path)"
        case .folder(let path): "folder \(path)"
        case .adapter(let path, let base): "adapter \(path) on \(base)"
        }
    }

    /// The folder holding `config.json` and the tokenizer: the folder, or the adapter's base.
    public var modelFolder: String? {
        switch self {
        case .gguf: nil
        case .folder(let path): path
        case .adapter(_, let base): base.modelFolder
        }
    }

    /// The model's `config.json` (nil for GGUF files, whose metadata holds the config).
    public func config() throws(EngineError) -> HFConfig? {
        guard let folder = modelFolder else { return nil }
        return try HFConfig(path: (folder as NSString).appendingPathComponent("config.json"))
    }

    /// The weights, memory-mapped; an adapter is merged into its base's weights.
    public func weights() throws(EngineError) -> TensorStore {
        switch self {
        case .gguf(let path): return try GGUFFile(path: path)
        case .folder(let path): return try CheckpointFiles.open(folder: path)
        case .adapter(let path, let base):
            return try LoRAAdapter(folder: path).merged(into: try base.weights())
        }
    }
}
