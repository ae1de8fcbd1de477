import Foundation

/// T5's forward pass. The decoder runs any number of sequences' new rows against their caches, so
/// the teacher-forced pass (one sequence, all rows), a generation step (one row) and a beam step
/// (one row per beam) share one code path.
/// Matches: transformers `T5Block` (pre-norm residual blocks: RMS norm → attention → add; the
/// decoder's cross-attention has no position bias) and `T5Stack` (final RMS norm).
extension T5Model {
    func encode(_ source: [Int32]) throws(EngineError) -> Seq2SeqMemory {
        try check(source, "source")
        let n = source.count
        var x = embed(source)
        let bias = relativeBias(queries: 0..<n, keys: n, table: encoderBias, bidirectional: true)
        for block in encoder {
            var caches = [Seq2SeqLayerCache()]
            add(block.selfAttention.attend(rmsNorm(x, block.selfNorm), rowsEach: n, caches: &caches, bias: bias, causal: false), to: &x)
            add(feedForward(block, rmsNorm(x, block.ffNorm), rows: n), to: &x)
        }
        return Seq2SeqMemory(encoded: rmsNorm(x, encoderNorm), rows: n, crossAttention: decoder.compactMap(\.crossAttention))
    }

    /// Final decoder states (scaled when the head is tied); see `Seq2SeqStack.decode`.
    func decode(_ ids: [Int32], rowsEach n: Int, from start: Int, caches: inout [[Seq2SeqLayerCache]],
                memory: Seq2SeqMemory) -> [Float] {
        var x = embed(ids)
        let bias = relativeBias(queries: start..<(start + n), keys: start + n, table: decoderBias, bidirectional: false)
        for (i, block) in decoder.enumerated() {
            add(block.selfAttention.attend(rmsNorm(x, block.selfNorm), rowsEach: n, caches: &caches[i], bias: bias, causal: true),
                to: &x)
            if let cross = block.crossAttention, let norm = block.crossNorm {
                add(cross.attend(rmsNorm(x, norm), rows: ids.count, memoryKeys: memory.keys[i], memoryValues: memory.values[i]),
                    to: &x)
            }
            add(feedForward(block, rmsNorm(x, block.ffNorm), rows: ids.count), to: &x)
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
        Seq2SeqAttention.project(hidden, rows: rows, lmHead)
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
        return Seq2SeqAttention.project(hidden, rows: n, block.wo)
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
