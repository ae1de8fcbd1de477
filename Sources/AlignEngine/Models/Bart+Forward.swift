import Foundation

/// BART's forward pass. The decoder runs on any number of new rows against its cache, so the
/// teacher-forced pass (all rows, empty cache) and a generation step (one row) share one code path.
/// Matches: transformers `BartEncoderLayer` / `BartDecoderLayer` (post-LayerNorm: attention,
/// add & norm, cross-attention, add & norm, fc1 → activation → fc2, add & norm).
extension BartModel {
    /// The encoder's output as every decoder layer's cross-attention keys and values.
    struct Memory {
        let keys: [[Float]]
        let values: [[Float]]
        let rows: Int
    }

    func encode(_ source: [Int32]) throws(EngineError) -> Memory {
        try check(source, "source")
        let n = source.count
        var x = embed(source, from: 0, positions: encoderPositions, norm: encoderEmbeddingNorm)
        for layer in encoder {
            var cache = Seq2SeqLayerCache()
            run(layer, &x, rows: n, cache: &cache, causal: false, memory: nil)
        }
        var keys: [[Float]] = [], values: [[Float]] = []
        x.withUnsafeBufferPointer { x in
            guard let x = x.baseAddress else { return }
            for layer in decoder {
                guard let cross = layer.crossAttention else { continue }
                keys.append(Seq2SeqAttention.project(x, rows: n, cross.key))
                values.append(Seq2SeqAttention.project(x, rows: n, cross.value))
            }
        }
        return Memory(keys: keys, values: values, rows: n)
    }

    /// Decoder hidden states of `ids` at positions `from…`, appending their keys and values to `caches`.
    func decode(_ ids: [Int32], from start: Int, caches: inout [Seq2SeqLayerCache], memory: Memory) -> [Float] {
        var x = embed(ids, from: start, positions: decoderPositions, norm: decoderEmbeddingNorm)
        for (i, layer) in decoder.enumerated() {
            run(layer, &x, rows: ids.count, cache: &caches[i], causal: true, memory: (memory.keys[i], memory.values[i], memory.rows))
        }
        return x
    }

    /// Logits `[rows, vocab]` of decoder hidden states (tied head plus `final_logits_bias`).
    func head(_ hidden: [Float], rows: Int) -> [Float] {
        hidden.withUnsafeBufferPointer { h in
            guard let h = h.baseAddress else { return [] }
            return Seq2SeqAttention.project(h, rows: rows, lmHead)
        }
    }

    private func embed(_ ids: [Int32], from start: Int, positions: BertTensor, norm: BertLayerNorm) -> [Float] {
        let d = config.hiddenSize
        let scale: Float = config.scaleEmbedding ? Float(d).squareRoot() : 1
        var x = [Float](repeating: 0, count: ids.count * d)
        x.withUnsafeMutableBufferPointer { buffer in
            guard let x = buffer.baseAddress else { return }
            for (p, id) in ids.enumerated() {
                let word = embedding.values + Int(id) * d, position = positions.values + (start + p + 2) * d
                for i in 0..<d { x[p * d + i] = word[i] * scale + position[i] }
            }
            BertMath.addAndNormalize(x, residual: nil, rows: ids.count, width: d, norm, epsilon: 1e-5)
        }
        return x
    }

    /// One post-LayerNorm layer on `rows` new rows of `x`; decoder layers (given `memory`) cross-attend.
    private func run(_ layer: Layer, _ x: inout [Float], rows n: Int, cache: inout Seq2SeqLayerCache, causal: Bool,
                     memory: (keys: [Float], values: [Float], rows: Int)?) {
        var hidden = attend(layer.selfAttention, x, rows: n, cache: &cache, causal: causal, memory: nil)
        add(&hidden, x, layer.selfNorm)
        if let memory, let cross = layer.crossAttention, let crossNorm = layer.crossNorm {
            var crossCache = Seq2SeqLayerCache(keys: memory.keys, values: memory.values)
            var crossed = attend(cross, hidden, rows: n, cache: &crossCache, causal: false, memory: memory.rows)
            add(&crossed, hidden, crossNorm)
            hidden = crossed
        }
        var inner = hidden.withUnsafeBufferPointer { h in
            h.baseAddress.map { Seq2SeqAttention.project($0, rows: n, layer.fc1) } ?? []
        }
        inner.withUnsafeMutableBufferPointer { i in
            guard let i = i.baseAddress else { return }
            BertMath.activate(i, count: n * layer.fc1.outputs, config.activation)
        }
        x = inner.withUnsafeBufferPointer { i in
            i.baseAddress.map { Seq2SeqAttention.project($0, rows: n, layer.fc2) } ?? []
        }
        add(&x, hidden, layer.finalNorm)
    }

    /// `y = LayerNorm(y + residual)`.
    private func add(_ y: inout [Float], _ residual: [Float], _ norm: BertLayerNorm) {
        let d = config.hiddenSize
        let rows = y.count / d
        y.withUnsafeMutableBufferPointer { y in
            residual.withUnsafeBufferPointer { r in
                guard let y = y.baseAddress, let r = r.baseAddress else { return }
                BertMath.addAndNormalize(y, residual: r, rows: rows, width: d, norm, epsilon: 1e-5)
            }
        }
    }

    /// Attention of `rows` query rows. Self-attention (memory nil) projects and appends its keys
    /// and values to `cache`; cross-attention reads the encoder's precomputed ones from `cache`.
    private func attend(_ a: Attention, _ x: [Float], rows n: Int, cache: inout Seq2SeqLayerCache, causal: Bool,
                        memory: Int?) -> [Float] {
        let d = config.hiddenSize, hd = d / a.heads
        var context = [Float](repeating: 0, count: n * d)
        x.withUnsafeBufferPointer { x in
            guard let x = x.baseAddress else { return }
            let q = Seq2SeqAttention.project(x, rows: n, a.query)
            if memory == nil {
                cache.keys += Seq2SeqAttention.project(x, rows: n, a.key)
                cache.values += Seq2SeqAttention.project(x, rows: n, a.value)
            }
            let keyRows = memory ?? cache.keys.count / d
            q.withUnsafeBufferPointer { q in
                cache.keys.withUnsafeBufferPointer { k in
                    cache.values.withUnsafeBufferPointer { v in
                        context.withUnsafeMutableBufferPointer { c in
                            guard let q = q.baseAddress, let k = k.baseAddress, let v = v.baseAddress, let c = c.baseAddress else { return }
                            Seq2SeqAttention.context(queries: q, rows: n, keys: k, values: v, keyRows: keyRows, heads: a.heads,
                                                     headSize: hd, scale: 1 / Float(hd).squareRoot(), bias: nil, causal: causal, into: c)
                        }
                    }
                }
            }
        }
        return context.withUnsafeBufferPointer { c in
            c.baseAddress.map { Seq2SeqAttention.project($0, rows: n, a.output) } ?? []
        }
    }
}
