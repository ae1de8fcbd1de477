import CKernels

extension QuantizedMatrix {
    /// Whether products with this matrix can use int8 activations: Q4_0, Q4_1 and Q8_0 weights,
    /// which are what llama.cpp multiplies that way too.
    public var hasInt8Kernel: Bool { ck_q8_supported(dtype.kernelCode) != 0 && cols % 32 == 0 }

    /// Bytes of one activation row of `cols` elements quantized for the int8 kernels.
    public static func quantizedRowBytes(_ cols: Int) -> Int { cols / 32 * Int(CK_ACT_BLOCK_BYTES) }

    /// Quantizes `m` rows of `cols` floats (stride `ldx`) to int8 blocks at `out`
    /// (`quantizedRowBytes(cols)` bytes per row).
    public static func quantizeActivations(_ x: UnsafePointer<Float>, ldx: Int, cols: Int, m: Int,
                                           into out: UnsafeMutableRawPointer) {
        ck_quantize_rows_q8(x, ldx, Int32(cols), Int32(m), out)
    }

    /// Packs matrices that have `hasInt8Kernel` for the int8 kernels, all into one arena, in
    /// parallel. The pages of the stored weights are handed back to the kernel as each matrix is
    /// packed when they come from a mapped file, so the process holds one copy of the weights.
    public static func packForInt8(_ matrices: [QuantizedMatrix], pool: WorkerPool) -> [Int8PackedMatrix] {
        var offsets: [Int] = []
        var total = 0
        for m in matrices {
            offsets.append(total)
            total += (ck_packed_q8_bytes(m.dtype.kernelCode, Int32(m.rows), Int32(m.cols)) + 63) / 64 * 64
        }
        let arena = PackedWeightArena(bytes: total)
        // Slices of about 4 MiB of stored weights at a time, their pages dropped right after:
        // the peak holds one copy of the weights plus one slice, not two copies.
        for (i, m) in matrices.enumerated() {
            let groups = (m.rows + 7) / 8
            let slice = max(1, (4 << 20) / max(1, 8 * m.rowBytes))
            for first in stride(from: 0, to: groups, by: slice) {
                let last = min(groups, first + slice)
                pool.parallelFor(last - first) { _, range, _ in
                    ck_pack_q8(m.dtype.kernelCode, m.base, m.rowBytes, Int32(m.cols), Int32(m.rows),
                               Int32(first + range.lowerBound), Int32(first + range.upperBound), arena.base + offsets[i])
                }
                let rows = (first * 8)..<min(m.rows, last * 8)
                (m.owner as? MappedFile)?.releasePages(m.base + rows.lowerBound * m.rowBytes, count: rows.count * m.rowBytes)
            }
        }
        return matrices.enumerated().map { i, m in
            Int8PackedMatrix(dtype: m.dtype, rows: m.rows, cols: m.cols, base: UnsafeRawPointer(arena.base + offsets[i]), arena: arena)
        }
    }
}

/// A weight matrix packed for the int8 kernels (`ck_pack_q8`): rows in groups of 8 whose quants
/// are interleaved so one vector load serves 8 rows.
public struct Int8PackedMatrix: @unchecked Sendable {
    public let dtype: DType
    public let rows: Int
    public let cols: Int
    let base: UnsafeRawPointer
    /// Keeps the packed bytes alive.
    let arena: PackedWeightArena

    var groups: Int { (rows + 7) / 8 }

    /// Row `r` as `cols` floats, bit-identical to `QuantizedMatrix.dequantizeRow` on the stored row.
    public func dequantizeRow(_ r: Int, into out: UnsafeMutablePointer<Float>) {
        ck_packed_q8_dequantize_row(dtype.kernelCode, base, Int32(cols), Int32(r), out)
    }

    /// Several products of the same quantized input rows (`xq`, from `quantizeActivations`) in one
    /// parallel region, groups of 8 output rows split across the pool. Each `y[j, r]` is computed
    /// by the same operations whatever `m`, the split, the tile or the instruction set (see
    /// `ck_matmul_q8_isa`), so it is bit-identical to a one-row product.
    public static func multiply(_ products: [(matrix: Int8PackedMatrix, y: UnsafeMutablePointer<Float>, ldy: Int)],
                                _ xq: UnsafeRawPointer, m: Int, pool: WorkerPool, isa: KernelISA? = nil) {
        let level = isa?.rawValue ?? 0
        var starts: [Int] = []
        var total = 0
        for p in products {
            starts.append(total)
            total += p.matrix.groups
        }
        pool.parallelFor(total) { _, range, _ in
            for (i, p) in products.enumerated() {
                let lo = max(range.lowerBound - starts[i], 0), hi = min(range.upperBound - starts[i], p.matrix.groups)
                guard lo < hi else { continue }
                let w = p.matrix
                ck_matmul_q8_isa(level, w.dtype.kernelCode, w.base, Int32(w.cols), Int32(w.rows), xq, Int32(m), p.y, p.ldy,
                                 Int32(lo), Int32(hi))
            }
        }
    }
}
