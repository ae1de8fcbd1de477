import CKernels

extension QuantizedMatrix {
    /// `y[j, r] = dot(row r, x[j])` for `m` input rows: `x` is `[m, cols]` (row stride `ldx`),
    /// `y` is `[m, rows]` (row stride `ldy`). Output rows are split across the pool's threads;
    /// each result is computed the same way whatever the split or `m` (see `ck_matmul`).
    public func multiply(_ x: UnsafePointer<Float>, ldx: Int, m: Int,
                         into y: UnsafeMutablePointer<Float>, ldy: Int, pool: WorkerPool) {
        let scratchPerThread = 4 * cols
        let scratch = KernelScratch.shared.floats(scratchPerThread * pool.threadCount)
        // Groups of 8 rows keep the decode kernel's 8-row tiles whole.
        pool.parallelFor(rows, granularity: 8) { part, range in
            ck_matmul(dtype.kernelCode, base, rowBytes, Int32(cols), x, ldx, Int32(m), y, ldy,
                      Int32(range.lowerBound), Int32(range.upperBound), scratch + part * scratchPerThread)
        }
    }
}

/// Per-thread scratch for kernels that dequantize rows first; grown on demand, never shrunk.
/// Used only from the thread that drives the pool.
final class KernelScratch: @unchecked Sendable {
    static let shared = KernelScratch()
    private var buffer = FloatBuffer(count: 0)

    func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        if buffer.count < count { buffer = FloatBuffer(count: count) }
        return buffer.pointer
    }
}
