/// Tensor names of the two layouts a LLaMA checkpoint comes in.
struct LlamaTensorNames: Sendable {
    let embedding: String
    let finalNorm: String
    let output: String
    let layer: @Sendable (Int, LayerPart) -> String

    enum LayerPart: CaseIterable {
        case attentionNorm, query, key, value, attentionOutput, ffnNorm, gate, up, down
    }

    /// llama.cpp's GGUF names (`blk.N.attn_q.weight`, …).
    static let gguf = LlamaTensorNames(embedding: "token_embd.weight", finalNorm: "output_norm.weight",
                                       output: "output.weight") { i, part in
        let suffix: String = switch part {
        case .attentionNorm: "attn_norm"
        case .query: "attn_q"
        case .key: "attn_k"
        case .value: "attn_v"
        case .attentionOutput: "attn_output"
        case .ffnNorm: "ffn_norm"
        case .gate: "ffn_gate"
        case .up: "ffn_up"
        case .down: "ffn_down"
        }
        return "blk.\(i).\(suffix).weight"
    }

    /// transformers' names (`model.layers.N.self_attn.q_proj.weight`, …).
    static let huggingFace = LlamaTensorNames(embedding: "model.embed_tokens.weight", finalNorm: "model.norm.weight",
                                              output: "lm_head.weight") { i, part in
        let suffix: String = switch part {
        case .attentionNorm: "input_layernorm"
        case .query: "self_attn.q_proj"
        case .key: "self_attn.k_proj"
        case .value: "self_attn.v_proj"
        case .attentionOutput: "self_attn.o_proj"
        case .ffnNorm: "post_attention_layernorm"
        case .gate: "mlp.gate_proj"
        case .up: "mlp.up_proj"
        case .down: "mlp.down_proj"
        }
        return "model.layers.\(i).\(suffix).weight"
    }

    static func detect(_ store: TensorStore) -> LlamaTensorNames {
        store.tensors[gguf.embedding] != nil ? gguf : huggingFace
    }
}

/// Loads and shape-checks the weights of one model.
struct LlamaWeightLoader {
    let store: TensorStore
    let names: LlamaTensorNames

    func matrix(_ name: String, rows: Int, cols: Int) throws(EngineError) -> QuantizedMatrix {
        guard let tensor = store.tensors[name] else { throw .file(store.location, "missing tensor '\(name)'") }
        let m: QuantizedMatrix
        do { m = try QuantizedMatrix(tensor) } catch { throw .file(store.location, "\(error)") }
        try m.expect(rows: rows, cols: cols, in: store.location)
        return m
    }

    /// A norm weight as f32, whatever its stored type.
    func vector(_ name: String, count: Int) throws(EngineError) -> FloatBuffer {
        let m = try matrix(name, rows: 1, cols: count)
        let out = FloatBuffer(count: count)
        m.dequantizeRow(0, into: out.pointer)
        return out
    }

    /// The layer's matrices in `LlamaTensorNames.LayerPart.matrices` order.
    func layerMatrices(_ i: Int, _ c: LlamaConfig) throws(EngineError) -> [QuantizedMatrix] {
        let n = { (part: LlamaTensorNames.LayerPart) in names.layer(i, part) }
        return [try matrix(n(.query), rows: c.qDim, cols: c.hiddenSize),
                try matrix(n(.key), rows: c.kvDim, cols: c.hiddenSize),
                try matrix(n(.value), rows: c.kvDim, cols: c.hiddenSize),
                try matrix(n(.attentionOutput), rows: c.hiddenSize, cols: c.qDim),
                try matrix(n(.gate), rows: c.intermediateSize, cols: c.hiddenSize),
                try matrix(n(.up), rows: c.intermediateSize, cols: c.hiddenSize),
                try matrix(n(.down), rows: c.hiddenSize, cols: c.intermediateSize)]
    }

    /// Layer `i` over its prepared matrices (`layerMatrices` order) and its norm weights.
    func layer(_ i: Int, _ c: LlamaConfig, _ w: [LinearWeight]) throws(EngineError) -> LlamaModel.Layer {
        let n = { (part: LlamaTensorNames.LayerPart) in names.layer(i, part) }
        return LlamaModel.Layer(
            attentionNorm: try vector(n(.attentionNorm), count: c.hiddenSize),
            query: w[0], key: w[1], value: w[2], attentionOutput: w[3],
            ffnNorm: try vector(n(.ffnNorm), count: c.hiddenSize),
            gate: w[4], up: w[5], down: w[6])
    }
}
