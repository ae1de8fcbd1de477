/// The shape of a BERT encoder, from its `config.json`.
///
/// Matches: transformers `BertConfig` defaults (`type_vocab_size` 2, `layer_norm_eps` 1e-12,
/// `hidden_act` "gelu", absolute position embeddings).
public struct BertConfig: Sendable, Equatable {
    public enum Activation: String, Sendable {
        /// x·Φ(x) with the exact normal CDF (`gelu`).
        case gelu
        /// The tanh approximation (`gelu_new`, `gelu_pytorch_tanh`).
        case geluTanh
    }

    public var vocabSize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var maxPositions: Int
    public var typeVocabSize: Int
    public var layerNormEpsilon: Float
    public var activation: Activation
    /// Class names by logit index (`id2label`); empty for plain encoders.
    public var labels: [String]

    public var headDim: Int { hiddenSize / headCount }

    public init(_ config: HFConfig) throws(EngineError) {
        let type = config.modelType
        guard type == "bert" || type.isEmpty else {
            throw .unsupported("\(config.path): model_type '\(type)' is not a BERT-style encoder")
        }
        if let position = config.string("position_embedding_type"), position != "absolute" {
            throw .unsupported("\(config.path): position_embedding_type '\(position)'")
        }
        vocabSize = try config.vocabSize
        hiddenSize = try config.hiddenSize
        layerCount = try config.layerCount
        headCount = try config.headCount
        intermediateSize = try config.intermediateSize
        maxPositions = try config.maxPositions ?? 512
        typeVocabSize = try config.int("type_vocab_size") ?? 2
        layerNormEpsilon = Float(try config.double("layer_norm_eps") ?? 1e-12)
        switch config.string("hidden_act") ?? "gelu" {
        case "gelu": activation = .gelu
        case "gelu_new", "gelu_pytorch_tanh": activation = .geluTanh
        case let other: throw .unsupported("\(config.path): hidden_act '\(other)'")
        }
        let byIndex = try config.idToLabel
        labels = byIndex.isEmpty ? [] : (0..<byIndex.count).map { byIndex[$0] ?? "LABEL_\($0)" }
        let sizes = [("vocab_size", vocabSize), ("hidden_size", hiddenSize), ("num_hidden_layers", layerCount),
                     ("num_attention_heads", headCount), ("intermediate_size", intermediateSize),
                     ("max_position_embeddings", maxPositions), ("type_vocab_size", typeVocabSize)]
        for (key, value) in sizes where value <= 0 || value > 1 << 24 {
            throw .file(config.path, "`\(key)` is \(value)")
        }
        guard hiddenSize % headCount == 0 else {
            throw .file(config.path, "hidden_size \(hiddenSize) is not a multiple of \(headCount) heads")
        }
    }
}
