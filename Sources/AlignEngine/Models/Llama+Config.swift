/// Hyper-parameters of a LLaMA-family decoder (LLaMA 1/2/3, TinyLlama, Vicuna, SmolLM2,
/// Mistral-style GQA). Filled from GGUF `llama.*` metadata here, or from an HF `config.json` by
/// the formats code through the public initializer.
public struct LlamaConfig: Sendable, Equatable {
    /// How rotary embeddings pair the dimensions of a head.
    public enum RopeStyle: String, Sendable {
        /// Pairs (2i, 2i+1): GGUF `llama` checkpoints, whose converter permuted Q and K for it.
        case interleaved
        /// Pairs (i, i + d/2): HF checkpoints (`rotate_half` in transformers' modeling_llama).
        case halves
    }

    public var vocabSize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var kvHeadCount: Int
    public var headDim: Int
    /// Leading dimensions of each head that are rotated (the whole head unless partial rotary).
    public var ropeDim: Int
    public var ropeTheta: Double
    public var rmsEpsilon: Float
    public var tiedEmbeddings: Bool
    public var maxPositions: Int
    public var ropeStyle: RopeStyle

    public init(vocabSize: Int, hiddenSize: Int, intermediateSize: Int, layerCount: Int,
                headCount: Int, kvHeadCount: Int? = nil, headDim: Int? = nil, ropeDim: Int? = nil,
                ropeTheta: Double = 10_000, rmsEpsilon: Float = 1e-6, tiedEmbeddings: Bool = false,
                maxPositions: Int = 2048, ropeStyle: RopeStyle = .halves) {
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount ?? headCount
        let hd = headDim ?? (headCount > 0 ? hiddenSize / headCount : 0)
        self.headDim = hd
        self.ropeDim = ropeDim ?? hd
        self.ropeTheta = ropeTheta
        self.rmsEpsilon = rmsEpsilon
        self.tiedEmbeddings = tiedEmbeddings
        self.maxPositions = maxPositions
        self.ropeStyle = ropeStyle
    }

    public var qDim: Int { headCount * headDim }
    public var kvDim: Int { kvHeadCount * headDim }

    /// Rejects configurations the forward pass cannot run, naming the source.
    public func validate(source: String) throws(EngineError) {
        func bad(_ message: String) -> EngineError { .file(source, "invalid LLaMA config: \(message)") }
        let positive = [("vocab size", vocabSize), ("hidden size", hiddenSize), ("intermediate size", intermediateSize),
                        ("layer count", layerCount), ("head count", headCount), ("kv head count", kvHeadCount),
                        ("head dim", headDim), ("max positions", maxPositions)]
        for (name, value) in positive where value <= 0 || value > 1 << 24 { throw bad("\(name) is \(value)") }
        guard headCount % kvHeadCount == 0 else { throw bad("\(headCount) heads not a multiple of \(kvHeadCount) kv heads") }
        guard ropeDim > 0, ropeDim <= headDim, ropeDim % 2 == 0 else { throw bad("rope dimension \(ropeDim) for head dim \(headDim)") }
        guard ropeTheta > 0, ropeTheta.isFinite else { throw bad("rope theta \(ropeTheta)") }
        guard rmsEpsilon >= 0, rmsEpsilon.isFinite else { throw bad("rms epsilon \(rmsEpsilon)") }
    }

    /// Reads `llama.*` keys of a GGUF file (ggml docs/gguf.md "LLaMA" section). Other
    /// LLaMA-shaped architectures written by llama.cpp's converter use their own key prefix.
    public static func fromGGUF(_ gguf: GGUFFile) throws(EngineError) -> LlamaConfig {
        let arch = gguf.architecture ?? "llama"
        guard ["llama", "mistral"].contains(arch) else {
            throw .unsupported("\(gguf.location): architecture '\(arch)' (the engine runs LLaMA-family GGUFs)")
        }
        func required(_ key: String) throws(EngineError) -> Int {
            guard let v = gguf.int("\(arch).\(key)") else { throw .file(gguf.location, "missing or non-integer metadata '\(arch).\(key)'") }
            return v
        }
        let hidden = try required("embedding_length")
        let heads = try required("attention.head_count")
        let headDim = gguf.int("\(arch).attention.key_length") ?? (heads > 0 ? hidden / heads : 0)
        let vocab = gguf.int("\(arch).vocab_size")
            ?? gguf.tensors["token_embd.weight"]?.shape.first
            ?? gguf.metadata["tokenizer.ggml.tokens"]?.arrayValue?.count ?? 0
        if let scaling = gguf.string("\(arch).rope.scaling.type"), scaling != "none" {
            throw .unsupported("\(gguf.location): rope scaling '\(scaling)'")
        }
        let config = LlamaConfig(
            vocabSize: vocab, hiddenSize: hidden, intermediateSize: try required("feed_forward_length"),
            layerCount: try required("block_count"), headCount: heads,
            kvHeadCount: gguf.int("\(arch).attention.head_count_kv") ?? heads, headDim: headDim,
            ropeDim: gguf.int("\(arch).rope.dimension_count") ?? headDim,
            ropeTheta: gguf.double("\(arch).rope.freq_base") ?? 10_000,
            rmsEpsilon: Float(gguf.double("\(arch).attention.layer_norm_rms_epsilon") ?? 1e-5),
            tiedEmbeddings: gguf.tensors["output.weight"] == nil,
            maxPositions: gguf.int("\(arch).context_length") ?? 2048, ropeStyle: .interleaved)
        try config.validate(source: gguf.location)
        return config
    }
}
