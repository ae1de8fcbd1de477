import Foundation

/// Multi-head attention on head-interleaved rows (`[rows, heads·headSize]`, head h in columns
/// h·headSize ..< (h+1)·headSize), shared by BART and T5 for full sequences and cached steps.
enum Seq2SeqAttention {
    /// `context = softmax(scale·Q·Kᵀ + bias)·V` for each head. With `causal`, the queries are the
    /// last `rows` of the `keyRows` positions and each sees keys up to its own position.
    /// `bias`, when given, is `[head][row][key]`.
    static func context(queries q: UnsafePointer<Float>, rows: Int, keys k: UnsafePointer<Float>,
                        values v: UnsafePointer<Float>, keyRows: Int, heads: Int, headSize: Int, scale: Float,
                        bias: UnsafePointer<Float>?, causal: Bool, into out: UnsafeMutablePointer<Float>) {
        let width = heads * headSize
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(rows * keyRows, 1))
        defer { scores.deallocate() }
        let first = keyRows - rows
        for head in 0..<heads {
            BLAS.sgemm(.none, .transposed, m: rows, n: keyRows, k: headSize, alpha: scale, q + head * headSize, lda: width,
                       k + head * headSize, ldb: width, beta: 0, scores, ldc: keyRows)
            if let bias {
                let b = bias + head * rows * keyRows
                for i in 0..<(rows * keyRows) { scores[i] += b[i] }
            }
            for r in 0..<rows {
                let row = scores + r * keyRows
                let visible = causal ? first + r + 1 : keyRows
                var top = -Float.infinity
                for c in 0..<visible { top = max(top, row[c]) }
                var sum: Float = 0
                for c in 0..<visible {
                    row[c] = expf(row[c] - top)
                    sum += row[c]
                }
                let inverse = 1 / sum
                for c in 0..<visible { row[c] *= inverse }
                for c in visible..<keyRows { row[c] = 0 }
            }
            BLAS.sgemm(.none, .none, m: rows, n: headSize, k: keyRows, alpha: 1, scores, lda: keyRows, v + head * headSize,
                       ldb: width, beta: 0, out + head * headSize, ldc: width)
        }
    }

    /// `y = x·Wᵀ + b` into a new array.
    static func project(_ x: UnsafePointer<Float>, rows: Int, _ layer: BertLinear) -> [Float] {
        var y = [Float](repeating: 0, count: rows * layer.outputs)
        y.withUnsafeMutableBufferPointer { y in
            guard let y = y.baseAddress else { return }
            BertMath.linear(x, rows: rows, layer, into: y)
        }
        return y
    }

    /// `y = x·Wᵀ + b` of the rows of `x` into a new array.
    static func project(_ x: [Float], rows: Int, _ layer: BertLinear) -> [Float] {
        x.withUnsafeBufferPointer { x in x.baseAddress.map { project($0, rows: rows, layer) } ?? [] }
    }
}

/// One attention block's projections and head layout: BART's (biased, scaled by headSize^-0.5)
/// and T5's (bias-free, unscaled) differ only in these values.
struct Seq2SeqAttentionWeights {
    let query, key, value, output: BertLinear
    let heads, headSize: Int
    let scale: Float

    var width: Int { heads * headSize }

    /// Self-attention over `caches.count` sequences whose new rows stand one block after another
    /// in `x` (`rowsEach` rows each, all at the same positions): each block appends its keys and
    /// values to its own cache and attends over it. `bias` is `[head][row][key]` for one block.
    func attend(_ x: [Float], rowsEach n: Int, caches: inout [Seq2SeqLayerCache], bias: [Float]?, causal: Bool) -> [Float] {
        let total = n * caches.count, w = width
        let q = Seq2SeqAttention.project(x, rows: total, query)
        let k = Seq2SeqAttention.project(x, rows: total, key)
        let v = Seq2SeqAttention.project(x, rows: total, value)
        var context = [Float](repeating: 0, count: total * w)
        for s in caches.indices {
            let block = (s * n * w)..<((s + 1) * n * w)
            caches[s].keys.append(contentsOf: k[block])
            caches[s].values.append(contentsOf: v[block])
            combine(q, offset: block.lowerBound, rows: n, keys: caches[s].keys, values: caches[s].values,
                    bias: bias, causal: causal, into: &context)
        }
        return Seq2SeqAttention.project(context, rows: total, output)
    }

    /// Cross-attention of `rows` decoder rows over the encoder's keys and values (no mask, no bias).
    func attend(_ x: [Float], rows: Int, memoryKeys: [Float], memoryValues: [Float]) -> [Float] {
        let q = Seq2SeqAttention.project(x, rows: rows, query)
        var context = [Float](repeating: 0, count: rows * width)
        combine(q, offset: 0, rows: rows, keys: memoryKeys, values: memoryValues, bias: nil, causal: false, into: &context)
        return Seq2SeqAttention.project(context, rows: rows, output)
    }

    /// Writes the context of `rows` query rows starting at element `offset` of `q` into the same
    /// place of `context`.
    private func combine(_ q: [Float], offset: Int, rows: Int, keys: [Float], values: [Float], bias: [Float]?,
                         causal: Bool, into context: inout [Float]) {
        let keyRows = keys.count / width
        q.withUnsafeBufferPointer { q in
            keys.withUnsafeBufferPointer { k in
                values.withUnsafeBufferPointer { v in
                    context.withUnsafeMutableBufferPointer { c in
                        Self.withOptional(bias) { b in
                            guard let q = q.baseAddress, let k = k.baseAddress, let v = v.baseAddress,
                                  let c = c.baseAddress else { return }
                            Seq2SeqAttention.context(queries: q + offset, rows: rows, keys: k, values: v, keyRows: keyRows,
                                                     heads: heads, headSize: headSize, scale: scale, bias: b, causal: causal,
                                                     into: c + offset)
                        }
                    }
                }
            }
        }
    }

    /// Calls `body` with a pointer to `values`' storage, or nil.
    private static func withOptional(_ values: [Float]?, _ body: (UnsafePointer<Float>?) -> Void) {
        guard let values else { return body(nil) }
        values.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
