import Foundation

/// BART's forward pass. The decoder runs any number of sequences' new rows against their caches,
/// so the teacher-forced pass (one sequence, all rows), a generation step (one row) and a beam step
/// (one row per beam) share one code path.
/// Matches: transformers `BartEncoderLayer` / `BartDecoderLayer` (post-LayerNorm: attention,
/// add & norm, cross-attention, add & norm, fc1 → activation → fc2, add & norm).
extension BartModel {
    func encode(_ source: [Int32]) throws(EngineError) -> Seq2SeqMemory {
        try check(source, "source")
        var x = embed(source, rowsEach: source.count, from: 0, positions: encoderPositions, norm: encoderEmbeddingNorm)
        for layer in encoder {
            var caches = [Seq2SeqLayerCache()]
            run(layer, &x, rowsEach: source.count, caches: &caches, causal: false, memory: nil)
        }
        return Seq2SeqMemory(encoded: x, rows: source.count, crossAttention: decoder.compactMap(\.crossAttention))
    }

    func decode(_ ids: [Int32], rowsEach n: Int, from start: Int, caches: inout [[Seq2SeqLayerCache]],
                memory: Seq2SeqMemory) -> [Float] {
        var x = embed(ids, rowsEach: n, from: start, positions: decoderPositions, norm: decoderEmbeddingNorm)
        for (i, layer) in decoder.enumerated() {
            run(layer, &x, rowsEach: n, caches: &caches[i], causal: true, memory: (memory.keys[i], memory.values[i]))
        }
        return x
    }

    /// Logits `[rows, vocab]` of decoder hidden states (tied head plus `final_logits_bias`).
    func head(_ hidden: [Float], rows: Int) -> [Float] {
        Seq2SeqAttention.project(hidden, rows: rows, lmHead)
    }

    /// Word plus learned position embeddings (offset 2) of each sequence's `rowsEach` ids at
    /// positions `from…`, then `layernorm_embedding`.
    private func embed(_ ids: [Int32], rowsEach n: Int, from start: Int, positions: BertTensor,
                       norm: BertLayerNorm) -> [Float] {
        let d = config.hiddenSize, each = max(n, 1)
        let scale: Float = config.scaleEmbedding ? Float(d).squareRoot() : 1
        var x = [Float](repeating: 0, count: ids.count * d)
        x.withUnsafeMutableBufferPointer { buffer in
            guard let x = buffer.baseAddress else { return }
            for (p, id) in ids.enumerated() {
                let word = embedding.values + Int(id) * d, position = positions.values + (start + p % each + 2) * d
                for i in 0..<d { x[p * d + i] = word[i] * scale + position[i] }
            }
            BertMath.addAndNormalize(x, residual: nil, rows: ids.count, width: d, norm, epsilon: 1e-5)
        }
        return x
    }

    /// One post-LayerNorm layer on the new rows of `x` (`rowsEach` per sequence); decoder layers
    /// (given `memory`) cross-attend.
    private func run(_ layer: Layer, _ x: inout [Float], rowsEach n: Int, caches: inout [Seq2SeqLayerCache], causal: Bool,
                     memory: (keys: [Float], values: [Float])?) {
        let rows = n * caches.count
        var hidden = layer.selfAttention.attend(x, rowsEach: n, caches: &caches, bias: nil, causal: causal)
        add(&hidden, x, layer.selfNorm)
        if let memory, let cross = layer.crossAttention, let crossNorm = layer.crossNorm {
            var crossed = cross.attend(hidden, rows: rows, memoryKeys: memory.keys, memoryValues: memory.values)
            add(&crossed, hidden, crossNorm)
            hidden = crossed
        }
        var inner = Seq2SeqAttention.project(hidden, rows: rows, layer.fc1)
        inner.withUnsafeMutableBufferPointer { i in
            guard let i = i.baseAddress else { return }
            BertMath.activate(i, count: rows * layer.fc1.outputs, config.activation)
        }
        x = Seq2SeqAttention.project(inner, rows: rows, layer.fc2)
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
}
