import CKernels

extension QuantizedMatrix {
    /// Inputs at least this tall may go through OpenBLAS sgemm on dequantized row panels.
    public static let sgemmMinimumRows = 16
    /// Weight rows dequantized per sgemm call (a panel of 64 × cols floats stays in L2).
    static let sgemmPanelRows = 64

    /// `y[j, r] = dot(row r, x[j])` for `m` input rows: `x` is `[m, cols]` (row stride `ldx`),
    /// `y` is `[m, rows]` (row stride `ldy`). Output rows are split across the pool's threads.
    ///
    /// Without `allowSGEMM`, each result is computed the same way whatever the split or `m`
    /// (see `ck_matmul`), so it is bit-identical to a single-row product. With it, inputs of
    /// `sgemmMinimumRows` rows or more use OpenBLAS on dequantized panels (prompt prefill),
    /// which agrees with the tile kernels to float rounding, not bit for bit.
    public func multiply(_ x: UnsafePointer<Float>, ldx: Int, m: Int,
                         into y: UnsafeMutablePointer<Float>, ldy: Int, pool: WorkerPool,
                         allowSGEMM: Bool = false, isa: KernelISA? = nil) {
        if allowSGEMM && m >= Self.sgemmMinimumRows {
            multiplyWithSGEMM(x, ldx: ldx, m: m, into: y, ldy: ldy, pool: pool)
            return
        }
        let level = isa?.rawValue ?? 0
        // Groups of 8 rows keep the decode kernel's row tiles whole.
        pool.parallelFor(rows, granularity: 8, scratchPerPart: 4 * cols) { _, range, scratch in
            ck_matmul_isa(level, dtype.kernelCode, base, rowBytes, Int32(cols), x, ldx, Int32(m), y, ldy,
                          Int32(range.lowerBound), Int32(range.upperBound), scratch)
        }
    }

    /// Several products of the same input (Q, K and V; gate and up) in one parallel region,
    /// so a decode step pays one thread hand-off instead of one per matrix. Each output row is
    /// computed exactly as `multiply` would.
    public static func multiply(_ products: [(matrix: QuantizedMatrix, y: UnsafeMutablePointer<Float>, ldy: Int)],
                                _ x: UnsafePointer<Float>, ldx: Int, m: Int, pool: WorkerPool,
                                allowSGEMM: Bool = false) {
        if allowSGEMM && m >= sgemmMinimumRows {
            for p in products { p.matrix.multiply(x, ldx: ldx, m: m, into: p.y, ldy: p.ldy, pool: pool, allowSGEMM: true) }
            return
        }
        var starts: [Int] = []
        var total = 0
        for p in products {
            starts.append(total)
            total += (p.matrix.rows + 7) / 8 * 8
        }
        let scratch = 4 * (products.map(\.matrix.cols).max() ?? 0)
        pool.parallelFor(total, granularity: 8, scratchPerPart: scratch) { _, range, buffer in
            for (i, p) in products.enumerated() {
                let lo = max(range.lowerBound - starts[i], 0), hi = min(range.upperBound - starts[i], p.matrix.rows)
                guard lo < hi else { continue }
                let w = p.matrix
                ck_matmul(w.dtype.kernelCode, w.base, w.rowBytes, Int32(w.cols), x, ldx, Int32(m), p.y, p.ldy,
                          Int32(lo), Int32(hi), buffer)
            }
        }
    }

    private func multiplyWithSGEMM(_ x: UnsafePointer<Float>, ldx: Int, m: Int,
                                   into y: UnsafeMutablePointer<Float>, ldy: Int, pool: WorkerPool) {
        let panel = Self.sgemmPanelRows
        // Each pool thread runs its own single-threaded sgemm; OpenBLAS's threads would fight ours.
        BLAS.useOneThread()
        pool.parallelFor(rows, granularity: panel, scratchPerPart: panel * cols) { _, range, w in
            var start = range.lowerBound
            while start < range.upperBound {
                let n = min(panel, range.upperBound - start)
                for i in 0..<n { dequantizeRow(start + i, into: w + i * cols) }
                BLAS.sgemm(.none, .transposed, m: m, n: n, k: cols, alpha: 1, x, lda: ldx, w, ldb: cols, beta: 0, y + start,
                           ldc: ldy)
                start += n
            }
        }
    }
}
