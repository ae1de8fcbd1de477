import Foundation

/// A T5 encoder-decoder scoring targets under teacher forcing (MentalT5-style seq2seq).
/// Matches: transformers `modeling_t5.py` (`T5ForConditionalGeneration`: RMS LayerNorm without
/// bias, pre-norm residual blocks, unscaled attention plus bucketed relative position bias from
/// each stack's first layer, ReLU or gated-GELU feed-forward, tied head scaled by d_model^-0.5).
public final class T5Model: Seq2SeqNetwork, @unchecked Sendable {
    // MARK: - Config and weights

    public struct Config: Sendable {
        public var vocabSize, hiddenSize, keyValueSize, feedForwardSize, layers, decoderLayers, heads: Int
        public var buckets, maxDistance: Int
        public var epsilon: Float
        public var gated: Bool
        /// Decoder outputs are scaled by d_model^-0.5 before the head: v4 configs imply it with
        /// tied embeddings, v5 configs say it (`scale_decoder_outputs`).
        public var scaleDecoderOutputs: Bool
        public var decoderStartToken: Int32
        public var endTokens: Set<Int32>

        init(_ c: HFConfig) throws(EngineError) {
            guard c.modelType == "t5" else { throw .unsupported("\(c.path): model_type '\(c.modelType)' is not T5") }
            vocabSize = try c.vocabSize
            hiddenSize = try c.requiredInt("d_model")
            keyValueSize = try c.requiredInt("d_kv")
            feedForwardSize = try c.requiredInt("d_ff")
            layers = try c.requiredInt("num_layers")
            decoderLayers = try c.int("num_decoder_layers") ?? layers
            heads = try c.requiredInt("num_heads")
            buckets = try c.int("relative_attention_num_buckets") ?? 32
            maxDistance = try c.int("relative_attention_max_distance") ?? 128
            epsilon = Float(try c.double("layer_norm_epsilon") ?? 1e-6)
            switch c.string("feed_forward_proj") ?? "relu" {
            case "relu": gated = false
            case "gated-gelu": gated = true
            case let other: throw .unsupported("\(c.path): feed_forward_proj '\(other)'")
            }
            let tied = try c.tiedWordEmbeddings
            scaleDecoderOutputs = try c.bool("scale_decoder_outputs") ?? tied
            decoderStartToken = Int32(exactly: try c.int("decoder_start_token_id") ?? 0) ?? -1
            endTokens = Set(try c.tokenIDs("eos_token_id").compactMap { Int32(exactly: $0) })
            if endTokens.isEmpty { endTokens = [1] }
            for (key, value) in [("d_model", hiddenSize), ("d_kv", keyValueSize), ("d_ff", feedForwardSize), ("num_heads", heads),
                                 ("vocab_size", vocabSize), ("relative_attention_num_buckets", buckets)]
                where value <= 0 || value > 1 << 24 { throw .file(c.path, "`\(key)` is \(value)") }
            guard maxDistance > buckets / 2 else { throw .file(c.path, "relative_attention_max_distance \(maxDistance) is too small") }
            guard decoderStartToken >= 0, Int(decoderStartToken) < vocabSize else {
                throw .file(c.path, "`decoder_start_token_id` is outside the vocabulary of \(vocabSize)")
            }
        }
    }

    struct Block {
        let selfNorm: BertTensor
        let selfAttention: Seq2SeqAttentionWeights
        let crossNorm: BertTensor?
        let crossAttention: Seq2SeqAttentionWeights?
        let ffNorm: BertTensor
        let wi: [BertLinear]
        let wo: BertLinear
    }

    public let config: Config
    let embedding: BertTensor
    let encoder, decoder: [Block]
    let encoderBias, decoderBias: BertTensor
    let encoderNorm, decoderNorm: BertTensor
    let lmHead: BertLinear
    let zeros: OwnedFloats

    public convenience init(folder: String) throws(EngineError) {
        let config = try Config(HFConfig(path: (folder as NSString).appendingPathComponent("config.json")))
        try self.init(store: CheckpointFiles.open(folder: folder), config: config)
    }

    public init(store: TensorStore, config c: Config) throws(EngineError) {
        let w = BertWeightReader(store: store)
        let d = c.hiddenSize, inner = c.heads * c.keyValueSize
        let zeros = OwnedFloats([Float](repeating: 0, count: max(c.vocabSize, d, inner, c.feedForwardSize)))
        let noBias = BertTensor(unowned: zeros)
        func linear(_ name: String, out: Int, in inputs: Int) throws(EngineError) -> BertLinear {
            BertLinear(weight: try w.tensor(name + ".weight", [out, inputs]), bias: noBias)
        }
        func attention(_ p: String) throws(EngineError) -> Seq2SeqAttentionWeights {
            Seq2SeqAttentionWeights(query: try linear(p + ".q", out: inner, in: d), key: try linear(p + ".k", out: inner, in: d),
                                    value: try linear(p + ".v", out: inner, in: d), output: try linear(p + ".o", out: d, in: inner),
                                    heads: c.heads, headSize: c.keyValueSize, scale: 1)
        }
        func block(_ p: String, decoder: Bool) throws(EngineError) -> Block {
            let ff = p + ".layer.\(decoder ? 2 : 1)"
            let wi = c.gated ? [try linear(ff + ".DenseReluDense.wi_0", out: c.feedForwardSize, in: d),
                                try linear(ff + ".DenseReluDense.wi_1", out: c.feedForwardSize, in: d)]
                             : [try linear(ff + ".DenseReluDense.wi", out: c.feedForwardSize, in: d)]
            return Block(selfNorm: try w.tensor(p + ".layer.0.layer_norm.weight", [d]),
                         selfAttention: try attention(p + ".layer.0.SelfAttention"),
                         crossNorm: decoder ? try w.tensor(p + ".layer.1.layer_norm.weight", [d]) : nil,
                         crossAttention: decoder ? try attention(p + ".layer.1.EncDecAttention") : nil,
                         ffNorm: try w.tensor(ff + ".layer_norm.weight", [d]),
                         wi: wi, wo: try linear(ff + ".DenseReluDense.wo", out: d, in: c.feedForwardSize))
        }
        embedding = try w.tensor(store.tensors["shared.weight"] != nil ? "shared.weight" : "encoder.embed_tokens.weight", [c.vocabSize, d])
        var encoder: [Block] = []
        for i in 0..<c.layers { encoder.append(try block("encoder.block.\(i)", decoder: false)) }
        var decoder: [Block] = []
        for i in 0..<c.decoderLayers { decoder.append(try block("decoder.block.\(i)", decoder: true)) }
        self.encoder = encoder
        self.decoder = decoder
        encoderBias = try w.tensor("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", [c.buckets, c.heads])
        decoderBias = try w.tensor("decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", [c.buckets, c.heads])
        encoderNorm = try w.tensor("encoder.final_layer_norm.weight", [d])
        decoderNorm = try w.tensor("decoder.final_layer_norm.weight", [d])
        lmHead = BertLinear(weight: store.tensors["lm_head.weight"] == nil ? embedding : try w.tensor("lm_head.weight", [c.vocabSize, d]),
                            bias: noBias)
        self.zeros = zeros
        config = c
    }

    // MARK: - Scoring and decoding

    /// Decoder logits `[target position][vocab]` under teacher forcing (input = start token +
    /// target shifted right).
    public func logits(source: [Int32], target: [Int32]) throws(EngineError) -> [[Float]] {
        try teacherForcedLogits(source: source, target: target)
    }

    public var decoderSettings: Seq2SeqDecoderSettings {
        Seq2SeqDecoderSettings(vocabularySize: config.vocabSize, startToken: config.decoderStartToken, endTokens: config.endTokens,
                               forcedFirstToken: nil, forcedLastToken: nil, maxDecoderLength: nil)
    }

    public func startDecoding(source: [Int32]) throws(EngineError) -> any Seq2SeqDecoding {
        try cachedDecoding(source: source)
    }
}

extension T5Model: Seq2SeqStack {
    var familyName: String { "T5" }
    var vocabularySize: Int { config.vocabSize }
    var decoderLayerCount: Int { decoder.count }
    var decoderStartToken: Int32 { config.decoderStartToken }
    var decoderPositionLimit: Int? { nil }

    func check(_ ids: [Int32], _ name: String) throws(EngineError) {
        guard !ids.isEmpty else { throw .invalidArgument("\(name) is empty") }
        try checkVocabulary(ids, name)
    }
}

extension BertTensor {
    /// A view of owned values (e.g. the zero bias of bias-free T5 projections).
    init(unowned owner: OwnedFloats) {
        self.init(values: UnsafePointer(owner.pointer), shape: [owner.count], owner: owner)
    }
}
