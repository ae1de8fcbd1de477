/// The LLaMA family (LLaMA-2, TinyLlama, Vicuna, Mistral-style GQA) from an HF `config.json`.
///
/// Matches: transformers `LlamaConfig` / `MistralConfig` defaults (`rms_norm_eps` 1e-6,
/// `rope_theta` 10 000, `num_key_value_heads` = heads, `head_dim` = hidden / heads, untied
/// embeddings) and `modeling_llama`'s `rotate_half` RoPE, which pairs dimension i with i + d/2.
extension HFConfig {
    static let llamaFamily: Set<String> = ["llama", "mistral"]

    public func llamaConfig() throws(EngineError) -> LlamaConfig {
        guard Self.llamaFamily.contains(modelType) else {
            throw .unsupported("\(path): model_type '\(modelType)' is not a LLaMA-family causal LM")
        }
        if let scaling = ropeScalingType { throw .unsupported("\(path): rope scaling '\(scaling)'") }
        if let act = string("hidden_act"), act != "silu" { throw .unsupported("\(path): hidden_act '\(act)' (LLaMA uses silu)") }
        for key in ["attention_bias", "mlp_bias"] where try bool(key) == true {
            throw .unsupported("\(path): `\(key)` (LLaMA projections have no bias)")
        }
        let heads = try headCount
        let config = LlamaConfig(
            vocabSize: try vocabSize, hiddenSize: try hiddenSize, intermediateSize: try intermediateSize,
            layerCount: try layerCount, headCount: heads,
            kvHeadCount: try int("num_key_value_heads") ?? heads, headDim: try int("head_dim"),
            ropeTheta: try ropeTheta, rmsEpsilon: Float(try double("rms_norm_eps") ?? 1e-6),
            tiedEmbeddings: try tiedWordEmbeddings, maxPositions: try maxPositions ?? 2048, ropeStyle: .halves)
        try config.validate(source: path)
        return config
    }
}
