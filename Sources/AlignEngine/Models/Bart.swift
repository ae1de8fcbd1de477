import Foundation

/// A BART encoder-decoder scoring targets under teacher forcing (BARTScore, completion-style
/// seq2seq models), in f32 over OpenBLAS.
/// Matches: transformers `modeling_bart.py` (`BartForConditionalGeneration`, post-LayerNorm
/// layers, learned positions offset by 2, `layernorm_embedding`, tied `lm_head` plus
/// `final_logits_bias`, decoder input = `decoder_start_token_id` + target shifted right).
public final class BartModel: Seq2SeqNetwork, @unchecked Sendable {
    // MARK: - Config and weights

    public struct Config: Sendable {
        public var vocabSize, hiddenSize, encoderLayers, decoderLayers: Int
        public var encoderHeads, decoderHeads, encoderFFN, decoderFFN, maxPositions: Int
        public var scaleEmbedding: Bool
        public var decoderStartToken: Int32
        /// Tokens forced first and at the length limit (`forced_bos_token_id`, `forced_eos_token_id`).
        public var forcedFirstToken: Int32?
        public var forcedLastToken: Int32?
        public var endToken: Int32
        var activation: BertConfig.Activation

        init(_ c: HFConfig) throws(EngineError) {
            guard c.modelType == "bart" else { throw .unsupported("\(c.path): model_type '\(c.modelType)' is not BART") }
            for key in ["normalize_before", "add_final_layer_norm"] where try c.bool(key) == true {
                throw .unsupported("\(c.path): `\(key)` (pre-LayerNorm BART variants such as mBART)")
            }
            vocabSize = try c.vocabSize
            hiddenSize = try c.requiredInt("d_model")
            encoderLayers = try c.requiredInt("encoder_layers")
            decoderLayers = try c.requiredInt("decoder_layers")
            encoderHeads = try c.requiredInt("encoder_attention_heads")
            decoderHeads = try c.requiredInt("decoder_attention_heads")
            encoderFFN = try c.requiredInt("encoder_ffn_dim")
            decoderFFN = try c.requiredInt("decoder_ffn_dim")
            maxPositions = try c.maxPositions ?? 1024
            scaleEmbedding = try c.bool("scale_embedding") ?? false
            decoderStartToken = Int32(exactly: try c.int("decoder_start_token_id") ?? 2) ?? -1
            forcedFirstToken = try c.int("forced_bos_token_id").flatMap { Int32(exactly: $0) }
            forcedLastToken = try c.int("forced_eos_token_id").flatMap { Int32(exactly: $0) }
            endToken = Int32(exactly: try c.tokenIDs("eos_token_id").first ?? 2) ?? -1
            switch c.string("activation_function") ?? "gelu" {
            case "gelu": activation = .gelu
            case "gelu_new", "gelu_pytorch_tanh": activation = .geluTanh
            case let other: throw .unsupported("\(c.path): activation_function '\(other)'")
            }
            for (key, value) in [("d_model", hiddenSize), ("vocab_size", vocabSize), ("encoder_attention_heads", encoderHeads),
                                 ("decoder_attention_heads", decoderHeads), ("max_position_embeddings", maxPositions)]
                where value <= 0 || value > 1 << 24 { throw .file(c.path, "`\(key)` is \(value)") }
            guard hiddenSize % encoderHeads == 0, hiddenSize % decoderHeads == 0 else {
                throw .file(c.path, "d_model \(hiddenSize) is not a multiple of the head counts")
            }
            for (key, id) in [("decoder_start_token_id", decoderStartToken), ("forced_bos_token_id", forcedFirstToken ?? 0),
                              ("forced_eos_token_id", forcedLastToken ?? 0)] where id < 0 || Int(id) >= vocabSize {
                throw .file(c.path, "`\(key)` is outside the vocabulary of \(vocabSize)")
            }
        }
    }

    struct Layer {
        let selfAttention: Seq2SeqAttentionWeights
        let selfNorm: BertLayerNorm
        /// Decoder layers only.
        let crossAttention: Seq2SeqAttentionWeights?
        let crossNorm: BertLayerNorm?
        let fc1, fc2: BertLinear
        let finalNorm: BertLayerNorm
    }

    public let config: Config
    public let location: String
    let embedding: BertTensor
    let encoderPositions, decoderPositions: BertTensor
    let encoderEmbeddingNorm, decoderEmbeddingNorm: BertLayerNorm
    let encoder, decoder: [Layer]
    let lmHead: BertLinear

    public convenience init(folder: String) throws(EngineError) {
        let config = try Config(HFConfig(path: (folder as NSString).appendingPathComponent("config.json")))
        try self.init(store: CheckpointFiles.open(folder: folder), config: config)
    }

    public init(store: TensorStore, config c: Config) throws(EngineError) {
        let w = BertWeightReader(store: store)
        let d = c.hiddenSize
        let embeddingName = ["model.shared.weight", "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight"]
            .first { store.tensors[$0] != nil } ?? "model.shared.weight"
        embedding = try w.tensor(embeddingName, [c.vocabSize, d])
        encoderPositions = try w.tensor("model.encoder.embed_positions.weight", [c.maxPositions + 2, d])
        decoderPositions = try w.tensor("model.decoder.embed_positions.weight", [c.maxPositions + 2, d])
        encoderEmbeddingNorm = try w.layerNorm("model.encoder.layernorm_embedding", size: d)
        decoderEmbeddingNorm = try w.layerNorm("model.decoder.layernorm_embedding", size: d)
        func attention(_ p: String, heads: Int) throws(EngineError) -> Seq2SeqAttentionWeights {
            Seq2SeqAttentionWeights(query: try w.linear(p + ".q_proj", out: d, in: d), key: try w.linear(p + ".k_proj", out: d, in: d),
                                    value: try w.linear(p + ".v_proj", out: d, in: d),
                                    output: try w.linear(p + ".out_proj", out: d, in: d),
                                    heads: heads, headSize: d / heads, scale: 1 / Float(d / heads).squareRoot())
        }
        func layer(_ p: String, heads: Int, ffn: Int, cross: Bool) throws(EngineError) -> Layer {
            Layer(selfAttention: try attention(p + ".self_attn", heads: heads),
                  selfNorm: try w.layerNorm(p + ".self_attn_layer_norm", size: d),
                  crossAttention: cross ? try attention(p + ".encoder_attn", heads: heads) : nil,
                  crossNorm: cross ? try w.layerNorm(p + ".encoder_attn_layer_norm", size: d) : nil,
                  fc1: try w.linear(p + ".fc1", out: ffn, in: d), fc2: try w.linear(p + ".fc2", out: d, in: ffn),
                  finalNorm: try w.layerNorm(p + ".final_layer_norm", size: d))
        }
        var encoder: [Layer] = []
        for i in 0..<c.encoderLayers { encoder.append(try layer("model.encoder.layers.\(i)", heads: c.encoderHeads, ffn: c.encoderFFN, cross: false)) }
        var decoder: [Layer] = []
        for i in 0..<c.decoderLayers { decoder.append(try layer("model.decoder.layers.\(i)", heads: c.decoderHeads, ffn: c.decoderFFN, cross: true)) }
        self.encoder = encoder
        self.decoder = decoder
        let head = store.tensors["lm_head.weight"] == nil ? embedding : try w.tensor("lm_head.weight", [c.vocabSize, d])
        let bias = store.tensors["final_logits_bias"] == nil
            ? try BertTensor(OwnedFloats([Float](repeating: 0, count: c.vocabSize)).tensor(name: "final_logits_bias", shape: [c.vocabSize]))
            : try w.tensor("final_logits_bias", [1, c.vocabSize])
        lmHead = BertLinear(weight: head, bias: bias)
        config = c
        location = store.location
    }

    // MARK: - Scoring and decoding

    /// Decoder logits `[target position][vocab]`: position t predicts `target[t]` from the
    /// source and `target[..<t]`.
    public func logits(source: [Int32], target: [Int32]) throws(EngineError) -> [[Float]] {
        try teacherForcedLogits(source: source, target: target)
    }

    public var decoderSettings: Seq2SeqDecoderSettings {
        Seq2SeqDecoderSettings(vocabularySize: config.vocabSize, startToken: config.decoderStartToken, endTokens: [config.endToken],
                               forcedFirstToken: config.forcedFirstToken, forcedLastToken: config.forcedLastToken,
                               maxDecoderLength: config.maxPositions)
    }

    public func startDecoding(source: [Int32]) throws(EngineError) -> any Seq2SeqDecoding {
        try cachedDecoding(source: source)
    }
}

extension BartModel: Seq2SeqStack {
    var familyName: String { "BART" }
    var vocabularySize: Int { config.vocabSize }
    var decoderLayerCount: Int { decoder.count }
    var decoderStartToken: Int32 { config.decoderStartToken }
    var decoderPositionLimit: Int? { config.maxPositions }

    func check(_ ids: [Int32], _ name: String) throws(EngineError) {
        guard !ids.isEmpty, ids.count <= config.maxPositions else {
            throw .invalidArgument("\(name) has \(ids.count) tokens; BART takes 1...\(config.maxPositions)")
        }
        try checkVocabulary(ids, name)
    }
}
