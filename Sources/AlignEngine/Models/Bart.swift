import CBLAS
import Foundation

/// A BART encoder-decoder scoring targets under teacher forcing (BARTScore, completion-style
/// seq2seq models), in f32 over OpenBLAS.
/// Matches: transformers `modeling_bart.py` (`BartForConditionalGeneration`, post-LayerNorm
/// layers, learned positions offset by 2, `layernorm_embedding`, tied `lm_head` plus
/// `final_logits_bias`, decoder input = `decoder_start_token_id` + target shifted right).
public final class BartModel: @unchecked Sendable {
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
            decoderStartToken = Int32(try c.int("decoder_start_token_id") ?? 2)
            forcedFirstToken = try c.int("forced_bos_token_id").map(Int32.init)
            forcedLastToken = try c.int("forced_eos_token_id").map(Int32.init)
            endToken = Int32(try c.tokenIDs("eos_token_id").first ?? 2)
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
        }
    }

    struct Attention {
        let query, key, value, output: BertLinear
        let heads: Int
    }

    struct Layer {
        let selfAttention: Attention
        let selfNorm: BertLayerNorm
        /// Decoder layers only.
        let crossAttention: Attention?
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
        func attention(_ p: String, heads: Int) throws(EngineError) -> Attention {
            Attention(query: try w.linear(p + ".q_proj", out: d, in: d), key: try w.linear(p + ".k_proj", out: d, in: d),
                      value: try w.linear(p + ".v_proj", out: d, in: d), output: try w.linear(p + ".out_proj", out: d, in: d),
                      heads: heads)
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

    // MARK: - Scoring

    /// Decoder logits `[target position][vocab]`: position t predicts `target[t]` from the
    /// source and `target[..<t]`.
    public func logits(source: [Int32], target: [Int32]) throws(EngineError) -> [[Float]] {
        try check(target, "target")
        let encoded = try encode(source)
        return decode(encoded, input: [config.decoderStartToken] + target.dropLast())
    }

    /// Greedy decoding (`num_beams=1`, no sampling): arg-max until the end token or `maxTokens`,
    /// with the config's forced first and last tokens (transformers' `ForcedBOS`/`ForcedEOS`
    /// logits processors). The decoder is re-run over the prefix each step (no cache): outputs
    /// here are short explanations and labels.
    public func generateGreedy(source: [Int32], maxTokens: Int) throws(EngineError) -> [Int32] {
        let encoded = try encode(source)
        let limit = min(maxTokens, config.maxPositions)
        var output: [Int32] = []
        while output.count < limit {
            let next: Int32
            if output.isEmpty, let forced = config.forcedFirstToken {
                next = forced
            } else if output.count == limit - 1, let forced = config.forcedLastToken {
                next = forced
            } else {
                let row = decode(encoded, input: [config.decoderStartToken] + output).last ?? []
                next = Int32(row.indices.max { row[$0] < row[$1] } ?? 0)
            }
            output.append(next)
            if next == config.endToken { break }
        }
        return output
    }

    private func check(_ ids: [Int32], _ name: String) throws(EngineError) {
        guard !ids.isEmpty, ids.count <= config.maxPositions else {
            throw .invalidArgument("\(name) has \(ids.count) tokens; BART takes 1...\(config.maxPositions)")
        }
        if let bad = ids.first(where: { $0 < 0 || Int($0) >= config.vocabSize }) {
            throw .invalidArgument("token id \(bad) in the \(name) is outside the vocabulary (\(config.vocabSize))")
        }
    }

    private func encode(_ source: [Int32]) throws(EngineError) -> OwnedFloats {
        try check(source, "source")
        return stack(embed(source, positions: encoderPositions, norm: encoderEmbeddingNorm), layers: encoder, memory: nil)
    }

    private func decode(_ encoded: OwnedFloats, input: [Int32]) -> [[Float]] {
        let decoded = stack(embed(input, positions: decoderPositions, norm: decoderEmbeddingNorm), layers: decoder, memory: encoded)
        let n = input.count, v = config.vocabSize
        let out = OwnedFloats([Float](repeating: 0, count: n * v))
        BertMath.linear(decoded.pointer, rows: n, lmHead, into: out.pointer)
        return (0..<n).map { Array(UnsafeBufferPointer(start: out.pointer + $0 * v, count: v)) }
    }

    /// log p(target[t] | source, target[..<t]) for every target token (BARTScore averages these).
    public func tokenLogLikelihoods(source: [Int32], target: [Int32]) throws(EngineError) -> [Float] {
        try zip(logits(source: source, target: target), target).map { row, token in
            let top = row.max() ?? 0
            let logSum = log(row.reduce(Float(0)) { $0 + expf($1 - top) }) + top
            return row[Int(token)] - logSum
        }
    }

    // MARK: - Forward

    private func embed(_ ids: [Int32], positions: BertTensor, norm: BertLayerNorm) -> OwnedFloats {
        let d = config.hiddenSize
        let scale: Float = config.scaleEmbedding ? Float(d).squareRoot() : 1
        let x = OwnedFloats([Float](repeating: 0, count: ids.count * d))
        for (p, id) in ids.enumerated() {
            let word = embedding.values + Int(id) * d, position = positions.values + (p + 2) * d
            for i in 0..<d { x.pointer[p * d + i] = word[i] * scale + position[i] }
        }
        BertMath.addAndNormalize(x.pointer, residual: nil, rows: ids.count, width: d, norm, epsilon: 1e-5)
        return x
    }

    /// Post-LayerNorm layers; decoder layers (given `memory`) are causal and cross-attend.
    private func stack(_ x: OwnedFloats, layers: [Layer], memory: OwnedFloats?) -> OwnedFloats {
        let d = config.hiddenSize, n = x.count / d
        let memoryRows = memory.map { $0.count / d } ?? 0
        for layer in layers {
            let attended = attend(layer.selfAttention, x.pointer, rows: n, keys: x.pointer, keyRows: n, causal: memory != nil)
            BertMath.addAndNormalize(attended.pointer, residual: x.pointer, rows: n, width: d, layer.selfNorm, epsilon: 1e-5)
            var hidden = attended
            if let memory, let cross = layer.crossAttention, let crossNorm = layer.crossNorm {
                let crossed = attend(cross, hidden.pointer, rows: n, keys: memory.pointer, keyRows: memoryRows, causal: false)
                BertMath.addAndNormalize(crossed.pointer, residual: hidden.pointer, rows: n, width: d, crossNorm, epsilon: 1e-5)
                hidden = crossed
            }
            let inner = OwnedFloats([Float](repeating: 0, count: n * layer.fc1.outputs))
            BertMath.linear(hidden.pointer, rows: n, layer.fc1, into: inner.pointer)
            BertMath.activate(inner.pointer, count: n * layer.fc1.outputs, config.activation)
            BertMath.linear(inner.pointer, rows: n, layer.fc2, into: x.pointer)
            BertMath.addAndNormalize(x.pointer, residual: hidden.pointer, rows: n, width: d, layer.finalNorm, epsilon: 1e-5)
        }
        return x
    }

    /// Multi-head attention of `rows` queries over `keyRows` keys, through the output projection.
    private func attend(_ a: Attention, _ x: UnsafeMutablePointer<Float>, rows: Int, keys: UnsafeMutablePointer<Float>,
                        keyRows: Int, causal: Bool) -> OwnedFloats {
        let d = config.hiddenSize, hd = d / a.heads
        let q = OwnedFloats([Float](repeating: 0, count: rows * d)), context = OwnedFloats([Float](repeating: 0, count: rows * d))
        let k = OwnedFloats([Float](repeating: 0, count: keyRows * d)), v = OwnedFloats([Float](repeating: 0, count: keyRows * d))
        let scores = OwnedFloats([Float](repeating: 0, count: rows * keyRows))
        let keep = [Bool](repeating: true, count: keyRows)
        BertMath.linear(x, rows: rows, a.query, into: q.pointer)
        BertMath.linear(keys, rows: keyRows, a.key, into: k.pointer)
        BertMath.linear(keys, rows: keyRows, a.value, into: v.pointer)
        for head in 0..<a.heads {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(keyRows), Int32(hd),
                        1 / Float(hd).squareRoot(), q.pointer + head * hd, Int32(d), k.pointer + head * hd, Int32(d),
                        0, scores.pointer, Int32(keyRows))
            keep.withUnsafeBufferPointer { keep in
                guard let keep = keep.baseAddress else { return }
                for r in 0..<rows {
                    BertMath.softmaxRows(scores.pointer + r * keyRows, rows: 1, cols: causal ? r + 1 : keyRows, keep: keep)
                    if causal { for c in (r + 1)..<max(r + 1, keyRows) { scores.pointer[r * keyRows + c] = 0 } }
                }
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(hd), Int32(keyRows),
                        1, scores.pointer, Int32(keyRows), v.pointer + head * hd, Int32(d), 0, context.pointer + head * hd, Int32(d))
        }
        let out = OwnedFloats([Float](repeating: 0, count: rows * d))
        BertMath.linear(context.pointer, rows: rows, a.output, into: out.pointer)
        return out
    }
}
