/// Scalar Swift dequantizers, one per stored type: the reference the C kernels are tested
/// against. Slow on purpose (plain loops, no SIMD).
/// Matches: ggml-quants.c `dequantize_row_*` (block layouts in ggml-common.h).
public enum ReferenceDequantizer {
    /// Dequantizes `count` elements (a multiple of the block size) from `src`.
    public static func dequantize(_ dtype: DType, _ src: UnsafeRawPointer, count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        let nb = count / dtype.blockSize
        for b in 0..<nb {
            let block = src + b * dtype.blockBytes
            let base = b * dtype.blockSize
            switch dtype {
            case .f32: out[base] = block.loadUnaligned(as: Float.self)
            case .f16: out[base] = half(block, 0)
            case .bf16: out[base] = Float(bitPattern: UInt32(block.loadUnaligned(as: UInt16.self)) << 16)
            case .q8_0:
                let d = half(block, 0)
                for i in 0..<32 { out[base + i] = Float(Int8(bitPattern: byte(block, 2 + i))) * d }
            case .q4_0:
                let d = half(block, 0)
                for j in 0..<16 {
                    let q = byte(block, 2 + j)
                    out[base + j] = (Float(q & 15) - 8) * d
                    out[base + j + 16] = (Float(q >> 4) - 8) * d
                }
            case .q4_1:
                let d = half(block, 0), m = half(block, 2)
                for j in 0..<16 {
                    let q = byte(block, 4 + j)
                    out[base + j] = Float(q & 15) * d + m
                    out[base + j + 16] = Float(q >> 4) * d + m
                }
            case .q5_0, .q5_1:
                let hasMin = dtype == .q5_1
                let d = half(block, 0), m: Float = hasMin ? half(block, 2) : 0
                let qhOffset = hasMin ? 4 : 2
                let qh = block.loadUnaligned(fromByteOffset: qhOffset, as: UInt32.self)
                for j in 0..<16 {
                    let q = UInt32(byte(block, qhOffset + 4 + j))
                    let lo = (q & 15) | (((qh >> UInt32(j)) << 4) & 0x10)
                    let hi = (q >> 4) | ((qh >> UInt32(j + 12)) & 0x10)
                    out[base + j] = hasMin ? Float(lo) * d + m : (Float(lo) - 16) * d
                    out[base + j + 16] = hasMin ? Float(hi) * d + m : (Float(hi) - 16) * d
                }
            case .q4_k, .q5_k: kQuant45(dtype, block, &out, base)
            case .q6_k: q6K(block, &out, base)
            }
        }
        return out
    }

    private static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    private static func byte(_ p: UnsafeRawPointer, _ offset: Int) -> UInt8 {
        p.load(fromByteOffset: offset, as: UInt8.self)
    }

    /// 6-bit scale and min of sub-block `j` packed in the 12 scale bytes (ggml get_scale_min_k4).
    private static func scaleMin(_ j: Int, _ scales: UnsafeRawPointer) -> (Float, Float) {
        let q = { (i: Int) in scales.load(fromByteOffset: i, as: UInt8.self) }
        if j < 4 { return (Float(q(j) & 63), Float(q(j + 4) & 63)) }
        let d = (q(j + 4) & 0xF) | ((q(j - 4) >> 6) << 4)
        let m = (q(j + 4) >> 4) | ((q(j) >> 6) << 4)
        return (Float(d), Float(m))
    }

    /// Q4_K: d, dmin, 12 scale bytes, 128 nibble bytes. Q5_K adds 32 high-bit bytes before them.
    private static func kQuant45(_ dtype: DType, _ block: UnsafeRawPointer, _ out: inout [Float], _ base: Int) {
        let d = half(block, 0), dmin = half(block, 2)
        let scales = block + 4
        let qh = block + 16
        let qs = block + (dtype == .q5_k ? 48 : 16)
        for chunk in 0..<4 {
            let (sc1, m1) = scaleMin(2 * chunk, scales)
            let (sc2, m2) = scaleMin(2 * chunk + 1, scales)
            for l in 0..<32 {
                let q = byte(qs, 32 * chunk + l)
                var lo = Float(q & 15), hi = Float(q >> 4)
                if dtype == .q5_k {
                    let h = byte(qh, l)
                    if h & (1 << (2 * chunk)) != 0 { lo += 16 }
                    if h & (2 << (2 * chunk)) != 0 { hi += 16 }
                }
                out[base + 64 * chunk + l] = d * sc1 * lo - dmin * m1
                out[base + 64 * chunk + 32 + l] = d * sc2 * hi - dmin * m2
            }
        }
    }

    /// Q6_K: 128 low-nibble bytes, 64 high-2-bit bytes, 16 int8 scales, fp16 d.
    private static func q6K(_ block: UnsafeRawPointer, _ out: inout [Float], _ base: Int) {
        let d = half(block, 208)
        for half128 in 0..<2 {
            let ql = block + 64 * half128
            let qh = block + 128 + 32 * half128
            let sc = block + 192 + 8 * half128
            for l in 0..<32 {
                let group = l / 16
                let h = byte(qh, l)
                let q1 = Int(byte(ql, l) & 15 | ((h >> 0) & 3) << 4) - 32
                let q2 = Int(byte(ql, l + 32) & 15 | ((h >> 2) & 3) << 4) - 32
                let q3 = Int(byte(ql, l) >> 4 | ((h >> 4) & 3) << 4) - 32
                let q4 = Int(byte(ql, l + 32) >> 4 | ((h >> 6) & 3) << 4) - 32
                let scale = { (i: Int) in d * Float(Int8(bitPattern: byte(sc, i))) }
                let o = base + 128 * half128 + l
                out[o] = scale(group) * Float(q1)
                out[o + 32] = scale(group + 2) * Float(q2)
                out[o + 64] = scale(group + 4) * Float(q3)
                out[o + 96] = scale(group + 6) * Float(q4)
            }
        }
    }
}
