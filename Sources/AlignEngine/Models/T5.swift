import CBLAS
import Foundation

/// A T5 encoder-decoder scoring targets under teacher forcing (MentalT5-style seq2seq).
/// Matches: transformers `modeling_t5.py` (`T5ForConditionalGeneration`: RMS LayerNorm without
/// bias, pre-norm residual blocks, unscaled attention plus bucketed relative position bias from
/// each stack's first layer, ReLU or gated-GELU feed-forward, tied head scaled by d_model^-0.5).
public final class T5Model: @unchecked Sendable {
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
            decoderStartToken = Int32(try c.int("decoder_start_token_id") ?? 0)
            for (key, value) in [("d_model", hiddenSize), ("d_kv", keyValueSize), ("d_ff", feedForwardSize), ("num_heads", heads),
                                 ("vocab_size", vocabSize), ("relative_attention_num_buckets", buckets)]
                where value <= 0 || value > 1 << 24 { throw .file(c.path, "`\(key)` is \(value)") }
            guard maxDistance > buckets / 2 else { throw .file(c.path, "relative_attention_max_distance \(maxDistance) is too small") }
        }
    }

    struct Attention { let q, k, v, o: BertLinear }

    struct Block {
        let selfNorm: BertTensor
        let selfAttention: Attention
        let crossNorm: BertTensor?
        let crossAttention: Attention?
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
        func attention(_ p: String) throws(EngineError) -> Attention {
            Attention(q: try linear(p + ".q", out: inner, in: d), k: try linear(p + ".k", out: inner, in: d),
                      v: try linear(p + ".v", out: inner, in: d), o: try linear(p + ".o", out: d, in: inner))
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

    // MARK: - Scoring

    /// Decoder logits `[target position][vocab]` under teacher forcing (input = start token +
    /// target shifted right).
    public func logits(source: [Int32], target: [Int32]) throws(EngineError) -> [[Float]] {
        for (name, ids) in [("source", source), ("target", target)] {
            guard !ids.isEmpty else { throw .invalidArgument("\(name) is empty") }
            if let bad = ids.first(where: { $0 < 0 || Int($0) >= config.vocabSize }) {
                throw .invalidArgument("token id \(bad) in the \(name) is outside the vocabulary (\(config.vocabSize))")
            }
        }
        let d = config.hiddenSize
        let encoded = run(embed(source), blocks: encoder, bias: encoderBias, causal: false, memory: nil, finalNorm: encoderNorm)
        let decoded = run(embed([config.decoderStartToken] + target.dropLast()), blocks: decoder, bias: decoderBias, causal: true,
                          memory: encoded, finalNorm: decoderNorm)
        let n = target.count, v = config.vocabSize
        if config.scaleDecoderOutputs {
            let scale = 1 / Float(d).squareRoot()
            for i in 0..<(n * d) { decoded.pointer[i] *= scale }
        }
        let out = OwnedFloats([Float](repeating: 0, count: n * v))
        BertMath.linear(decoded.pointer, rows: n, lmHead, into: out.pointer)
        return (0..<n).map { Array(UnsafeBufferPointer(start: out.pointer + $0 * v, count: v)) }
    }

    /// log p(target[t] | source, target[..<t]) for every target token.
    public func tokenLogLikelihoods(source: [Int32], target: [Int32]) throws(EngineError) -> [Float] {
        try zip(logits(source: source, target: target), target).map { row, token in
            let top = row.max() ?? 0
            return row[Int(token)] - (log(row.reduce(Float(0)) { $0 + expf($1 - top) }) + top)
        }
    }

    // MARK: - Forward

    private func embed(_ ids: [Int32]) -> OwnedFloats {
        let d = config.hiddenSize
        let x = OwnedFloats([Float](repeating: 0, count: ids.count * d))
        for (p, id) in ids.enumerated() { (x.pointer + p * d).update(from: embedding.values + Int(id) * d, count: d) }
        return x
    }

    /// T5LayerNorm: x / √(mean(x²) + ε) · w, no mean subtraction and no bias.
    private func rmsNorm(_ x: UnsafePointer<Float>, rows: Int, _ weight: BertTensor) -> OwnedFloats {
        let d = config.hiddenSize
        let out = OwnedFloats([Float](repeating: 0, count: rows * d))
        for r in 0..<rows {
            var sum: Float = 0
            for i in 0..<d { sum += x[r * d + i] * x[r * d + i] }
            let scale = 1 / (sum / Float(d) + config.epsilon).squareRoot()
            for i in 0..<d { out.pointer[r * d + i] = x[r * d + i] * scale * weight.values[i] }
        }
        return out
    }

    private func run(_ x: OwnedFloats, blocks: [Block], bias: BertTensor, causal: Bool, memory: OwnedFloats?,
                     finalNorm: BertTensor) -> OwnedFloats {
        let d = config.hiddenSize, n = x.count / d
        let positionBias = relativeBias(queries: n, keys: n, table: bias, bidirectional: !causal)
        for block in blocks {
            let normed = rmsNorm(x.pointer, rows: n, block.selfNorm)
            add(attend(block.selfAttention, normed.pointer, rows: n, keys: normed.pointer, keyRows: n, bias: positionBias, causal: causal), to: x)
            if let memory, let attention = block.crossAttention, let norm = block.crossNorm {
                let normedCross = rmsNorm(x.pointer, rows: n, norm)
                add(attend(attention, normedCross.pointer, rows: n, keys: memory.pointer, keyRows: memory.count / d, bias: nil, causal: false), to: x)
            }
            let normedFF = rmsNorm(x.pointer, rows: n, block.ffNorm)
            let width = config.feedForwardSize
            let hidden = OwnedFloats([Float](repeating: 0, count: n * width))
            BertMath.linear(normedFF.pointer, rows: n, block.wi[0], into: hidden.pointer)
            if block.wi.count == 2 {
                BertMath.activate(hidden.pointer, count: n * width, .geluTanh)
                let gate = OwnedFloats([Float](repeating: 0, count: n * width))
                BertMath.linear(normedFF.pointer, rows: n, block.wi[1], into: gate.pointer)
                for i in 0..<(n * width) { hidden.pointer[i] *= gate.pointer[i] }
            } else {
                for i in 0..<(n * width) { hidden.pointer[i] = max(hidden.pointer[i], 0) }
            }
            let out = OwnedFloats([Float](repeating: 0, count: n * d))
            BertMath.linear(hidden.pointer, rows: n, block.wo, into: out.pointer)
            add(out, to: x)
        }
        return rmsNorm(x.pointer, rows: n, finalNorm)
    }

    private func add(_ y: OwnedFloats, to x: OwnedFloats) {
        for i in 0..<x.count { x.pointer[i] += y.pointer[i] }
    }

    /// bias[h][q][k] from the bucket of k − q.
    /// Matches: transformers `T5Attention._relative_position_bucket` (f32 log, truncation).
    private func relativeBias(queries: Int, keys: Int, table: BertTensor, bidirectional: Bool) -> [Float] {
        let h = config.heads
        var out = [Float](repeating: 0, count: h * queries * keys)
        var buckets = config.buckets
        if bidirectional { buckets /= 2 }
        let maxExact = buckets / 2
        let logRange = Float(log(Double(config.maxDistance) / Double(maxExact)))
        for q in 0..<queries {
            for k in 0..<keys {
                var relative = k - q
                var bucket = 0
                if bidirectional {
                    if relative > 0 { bucket += buckets }
                    relative = abs(relative)
                } else {
                    relative = -min(relative, 0)
                }
                if relative < maxExact {
                    bucket += relative
                } else {
                    let large = maxExact + Int(logf(Float(relative) / Float(maxExact)) / logRange * Float(buckets - maxExact))
                    bucket += min(large, buckets - 1)
                }
                for head in 0..<h { out[(head * queries + q) * keys + k] = table.values[bucket * h + head] }
            }
        }
        return out
    }

    /// Unscaled multi-head attention with an optional additive position bias `[head][q][k]`.
    private func attend(_ a: Attention, _ x: UnsafePointer<Float>, rows: Int, keys: UnsafePointer<Float>, keyRows: Int,
                        bias: [Float]?, causal: Bool) -> OwnedFloats {
        let hd = config.keyValueSize, inner = config.heads * hd
        let q = OwnedFloats([Float](repeating: 0, count: rows * inner)), context = OwnedFloats([Float](repeating: 0, count: rows * inner))
        let k = OwnedFloats([Float](repeating: 0, count: keyRows * inner)), v = OwnedFloats([Float](repeating: 0, count: keyRows * inner))
        let scores = OwnedFloats([Float](repeating: 0, count: rows * keyRows))
        let keep = [Bool](repeating: true, count: keyRows)
        BertMath.linear(x, rows: rows, a.q, into: q.pointer)
        BertMath.linear(keys, rows: keyRows, a.k, into: k.pointer)
        BertMath.linear(keys, rows: keyRows, a.v, into: v.pointer)
        for head in 0..<config.heads {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(keyRows), Int32(hd), 1,
                        q.pointer + head * hd, Int32(inner), k.pointer + head * hd, Int32(inner), 0, scores.pointer, Int32(keyRows))
            if let bias {
                for i in 0..<(rows * keyRows) { scores.pointer[i] += bias[head * rows * keyRows + i] }
            }
            keep.withUnsafeBufferPointer { keep in
                guard let keep = keep.baseAddress else { return }
                for r in 0..<rows {
                    BertMath.softmaxRows(scores.pointer + r * keyRows, rows: 1, cols: causal ? r + 1 : keyRows, keep: keep)
                    if causal { for c in (r + 1)..<max(r + 1, keyRows) { scores.pointer[r * keyRows + c] = 0 } }
                }
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(hd), Int32(keyRows), 1,
                        scores.pointer, Int32(keyRows), v.pointer + head * hd, Int32(inner), 0, context.pointer + head * hd, Int32(inner))
        }
        let out = OwnedFloats([Float](repeating: 0, count: rows * config.hiddenSize))
        BertMath.linear(context.pointer, rows: rows, a.o, into: out.pointer)
        return out
    }
}

extension BertTensor {
    /// A view of owned values (e.g. the zero bias of bias-free T5 projections).
    init(unowned owner: OwnedFloats) {
        self.init(values: UnsafePointer(owner.pointer), shape: [owner.count], owner: owner)
    }
}
