import CKernels

extension QuantizedMatrix {
    /// Whether products with this matrix can use int8 activations (`ck_matmul_q8_isa`): Q4_0,
    /// Q4_1 and Q8_0 weights, which are what llama.cpp multiplies that way too.
    public var hasInt8Kernel: Bool { ck_q8_supported(dtype.kernelCode) != 0 && cols % 32 == 0 }

    /// Bytes of one activation row of `cols` elements quantized for the int8 kernels.
    public static func quantizedRowBytes(_ cols: Int) -> Int { cols / 32 * Int(CK_ACT_BLOCK_BYTES) }

    /// Quantizes `m` rows of `cols` floats (stride `ldx`) to int8 blocks at `out`
    /// (`quantizedRowBytes(cols)` bytes per row).
    public static func quantizeActivations(_ x: UnsafePointer<Float>, ldx: Int, cols: Int, m: Int,
                                           into out: UnsafeMutableRawPointer) {
        ck_quantize_rows_q8(x, ldx, Int32(cols), Int32(m), out)
    }

    /// Several products of the same quantized input rows (`xq`, from `quantizeActivations`) in one
    /// parallel region, output rows split across the pool. Each `y[j, r]` is computed by the same
    /// operations whatever `m`, the split or the tile (see `ck_matmul_q8_isa`), so it is
    /// bit-identical to a one-row product. Every matrix must have `hasInt8Kernel`.
    public static func multiplyQuantized(_ products: [(matrix: QuantizedMatrix, y: UnsafeMutablePointer<Float>, ldy: Int)],
                                         _ xq: UnsafeRawPointer, m: Int, pool: WorkerPool, isa: KernelISA? = nil) {
        let level = isa?.rawValue ?? 0
        var starts: [Int] = []
        var total = 0
        for p in products {
            starts.append(total)
            total += (p.matrix.rows + 7) / 8 * 8
        }
        pool.parallelFor(total, granularity: 8) { _, range, _ in
            for (i, p) in products.enumerated() {
                let lo = max(range.lowerBound - starts[i], 0), hi = min(range.upperBound - starts[i], p.matrix.rows)
                guard lo < hi else { continue }
                let w = p.matrix
                ck_matmul_q8_isa(level, w.dtype.kernelCode, w.base, w.rowBytes, Int32(w.cols), xq, Int32(m), p.y, p.ldy,
                                 Int32(lo), Int32(hi))
            }
        }
    }
}
