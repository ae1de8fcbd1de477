import Foundation

/// T5's forward pass. The decoder runs on any number of new rows against its cache, so the
/// teacher-forced pass (all rows, empty cache) and a generation step (one row) share one code path.
/// Matches: transformers `T5Block` (pre-norm residual blocks: RMS norm → attention → add; the
/// decoder's cross-attention has no position bias) and `T5Stack` (final RMS norm).
extension T5Model {
    /// The encoder's output as every decoder layer's cross-attention keys and values.
    struct Memory {
        let keys: [[Float]]
        let values: [[Float]]
        let rows: Int
    }

    func encode(_ source: [Int32]) throws(EngineError) -> Memory {
        try check(source, "source")
        let n = source.count
        var x = embed(source)
        let bias = relativeBias(queries: 0..<n, keys: n, table: encoderBias, bidirectional: true)
        for block in encoder {
            var cache = Seq2SeqLayerCache()
            var normed = rmsNorm(x, block.selfNorm)
            add(attend(block.selfAttention, normed, rows: n, cache: &cache, bias: bias, causal: false, memory: nil), to: &x)
            normed = rmsNorm(x, block.ffNorm)
            add(feedForward(block, normed, rows: n), to: &x)
        }
        let encoded = rmsNorm(x, encoderNorm)
        var keys: [[Float]] = [], values: [[Float]] = []
        encoded.withUnsafeBufferPointer { e in
            guard let e = e.baseAddress else { return }
            for block in decoder {
                guard let cross = block.crossAttention else { continue }
                keys.append(Seq2SeqAttention.project(e, rows: n, cross.k))
                values.append(Seq2SeqAttention.project(e, rows: n, cross.v))
            }
        }
        return Memory(keys: keys, values: values, rows: n)
    }

    /// Final decoder states of `ids` at positions `from…` (scaled when the head is tied),
    /// appending their keys and values to `caches`.
    func decode(_ ids: [Int32], from start: Int, caches: inout [Seq2SeqLayerCache], memory: Memory) -> [Float] {
        let n = ids.count
        var x = embed(ids)
        let bias = relativeBias(queries: start..<(start + n), keys: start + n, table: decoderBias, bidirectional: false)
        for (i, block) in decoder.enumerated() {
            var normed = rmsNorm(x, block.selfNorm)
            add(attend(block.selfAttention, normed, rows: n, cache: &caches[i], bias: bias, causal: true, memory: nil), to: &x)
            if let cross = block.crossAttention, let norm = block.crossNorm {
                normed = rmsNorm(x, norm)
                var crossCache = Seq2SeqLayerCache(keys: memory.keys[i], values: memory.values[i])
                add(attend(cross, normed, rows: n, cache: &crossCache, bias: nil, causal: false, memory: memory.rows), to: &x)
            }
            normed = rmsNorm(x, block.ffNorm)
            add(feedForward(block, normed, rows: n), to: &x)
        }
        var out = rmsNorm(x, decoderNorm)
        if config.scaleDecoderOutputs {
            let scale = 1 / Float(config.hiddenSize).squareRoot()
            for i in out.indices { out[i] *= scale }
        }
        return out
    }

    /// Logits `[rows, vocab]` of final decoder states.
    func head(_ hidden: [Float], rows: Int) -> [Float] {
        hidden.withUnsafeBufferPointer { h in
            h.baseAddress.map { Seq2SeqAttention.project($0, rows: rows, lmHead) } ?? []
        }
    }

    private func embed(_ ids: [Int32]) -> [Float] {
        let d = config.hiddenSize
        var x = [Float](repeating: 0, count: ids.count * d)
        for (p, id) in ids.enumerated() {
            let word = embedding.values + Int(id) * d
            for i in 0..<d { x[p * d + i] = word[i] }
        }
        return x
    }

    /// T5LayerNorm: x / √(mean(x²) + ε) · w, no mean subtraction and no bias.
    private func rmsNorm(_ x: [Float], _ weight: BertTensor) -> [Float] {
        let d = config.hiddenSize
        var out = [Float](repeating: 0, count: x.count)
        for r in 0..<(x.count / d) {
            var sum: Float = 0
            for i in 0..<d { sum += x[r * d + i] * x[r * d + i] }
            let scale = 1 / (sum / Float(d) + config.epsilon).squareRoot()
            for i in 0..<d { out[r * d + i] = x[r * d + i] * scale * weight.values[i] }
        }
        return out
    }

    private func add(_ y: [Float], to x: inout [Float]) {
        for i in x.indices { x[i] += y[i] }
    }

    /// ReLU, or gated GELU (tanh approximation) times the linear gate.
    private func feedForward(_ block: Block, _ x: [Float], rows n: Int) -> [Float] {
        x.withUnsafeBufferPointer { x in
            guard let x = x.baseAddress else { return [] }
            var hidden = Seq2SeqAttention.project(x, rows: n, block.wi[0])
            hidden.withUnsafeMutableBufferPointer { h in
                guard let h = h.baseAddress else { return }
                if block.wi.count == 2 {
                    BertMath.activate(h, count: n * config.feedForwardSize, .geluTanh)
                } else {
                    for i in 0..<(n * config.feedForwardSize) { h[i] = max(h[i], 0) }
                }
            }
            if block.wi.count == 2 {
                let gate = Seq2SeqAttention.project(x, rows: n, block.wi[1])
                for i in hidden.indices { hidden[i] *= gate[i] }
            }
            return hidden.withUnsafeBufferPointer { h in
                h.baseAddress.map { Seq2SeqAttention.project($0, rows: n, block.wo) } ?? []
            }
        }
    }

    /// Unscaled attention of `rows` query rows, through the output projection. Self-attention
    /// (memory nil) projects and appends its keys and values to `cache`; cross-attention reads the
    /// encoder's precomputed ones from `cache`.
    private func attend(_ a: Attention, _ x: [Float], rows n: Int, cache: inout Seq2SeqLayerCache, bias: [Float]?,
                        causal: Bool, memory: Int?) -> [Float] {
        let hd = config.keyValueSize, inner = config.heads * hd
        var context = [Float](repeating: 0, count: n * inner)
        x.withUnsafeBufferPointer { x in
            guard let x = x.baseAddress else { return }
            let q = Seq2SeqAttention.project(x, rows: n, a.q)
            if memory == nil {
                cache.keys += Seq2SeqAttention.project(x, rows: n, a.k)
                cache.values += Seq2SeqAttention.project(x, rows: n, a.v)
            }
            let keyRows = memory ?? cache.keys.count / inner
            q.withUnsafeBufferPointer { q in
                cache.keys.withUnsafeBufferPointer { k in
                    cache.values.withUnsafeBufferPointer { v in
                        context.withUnsafeMutableBufferPointer { c in
                            Seq2SeqAttention.withOptional(bias) { b in
                                guard let q = q.baseAddress, let k = k.baseAddress, let v = v.baseAddress, let c = c.baseAddress else { return }
                                Seq2SeqAttention.context(queries: q, rows: n, keys: k, values: v, keyRows: keyRows, heads: config.heads,
                                                         headSize: hd, scale: 1, bias: b, causal: causal, into: c)
                            }
                        }
                    }
                }
            }
        }
        return context.withUnsafeBufferPointer { c in
            c.baseAddress.map { Seq2SeqAttention.project($0, rows: n, a.o) } ?? []
        }
    }

    /// bias[h][q][k] for query positions `queries` over keys 0..<keys, from the bucket of k − q.
    /// Matches: transformers `T5Attention._relative_position_bucket` (f32 log, truncation).
    func relativeBias(queries: Range<Int>, keys: Int, table: BertTensor, bidirectional: Bool) -> [Float] {
        let h = config.heads, rows = queries.count
        var out = [Float](repeating: 0, count: h * rows * keys)
        var buckets = config.buckets
        if bidirectional { buckets /= 2 }
        let maxExact = buckets / 2
        let logRange = Float(log(Double(config.maxDistance) / Double(maxExact)))
        for (r, q) in queries.enumerated() {
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
                for head in 0..<h { out[(head * rows + r) * keys + k] = table.values[bucket * h + head] }
            }
        }
        return out
    }
}
