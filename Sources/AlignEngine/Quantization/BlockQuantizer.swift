/// Quantizes rows of f32 values into ggml blocks, byte for byte as ggml's reference quantizers
/// (`quantize_row_*_ref` in ggml-quants.c) do, so a file written here equals one written by
/// llama.cpp's tools from the same floats.
public enum BlockQuantizer {
    /// Bytes `count` values of `dtype` take (count must be a multiple of the block size).
    public static func byteCount(_ dtype: DType, values count: Int) -> Int {
        count / dtype.blockSize * dtype.blockBytes
    }

    /// Writes `count` values from `source` into `destination` as `dtype` (f32, f16, bf16 or a
    /// target block type). `count` must be a multiple of the block size; `destination` must hold
    /// `byteCount(dtype, values: count)` bytes.
    public static func quantize(_ source: UnsafePointer<Float>, count: Int, as dtype: DType,
                                into destination: UnsafeMutableRawPointer) {
        switch dtype {
        case .f32:
            destination.copyMemory(from: source, byteCount: count * 4)
        case .f16:
            for i in 0..<count { destination.storeBytes(of: Float16(source[i]).bitPattern, toByteOffset: 2 * i, as: UInt16.self) }
        case .bf16:
            for i in 0..<count { destination.storeBytes(of: bf16Bits(source[i]), toByteOffset: 2 * i, as: UInt16.self) }
        case .q8_0:
            for b in 0..<count / 32 { quantizeQ8_0(source + 32 * b, into: destination + 34 * b) }
        case .q4_0:
            for b in 0..<count / 32 { quantizeQ4_0(source + 32 * b, into: destination + 18 * b) }
        case .q4_k:
            for b in 0..<count / 256 { quantizeQ4_K(source + 256 * b, into: destination + 144 * b) }
        case .q4_1, .q5_0, .q5_1, .q5_k, .q6_k:
            preconditionFailure("BlockQuantizer does not write \(dtype); callers pick a QuantizationTarget type")
        }
    }

    /// Matches: ggml `GGML_FP32_TO_BF16` (round to nearest even; NaN kept quiet).
    static func bf16Bits(_ x: Float) -> UInt16 {
        let bits = x.bitPattern
        if x.isNaN { return UInt16(truncatingIfNeeded: (bits >> 16) | 64) }
        return UInt16(truncatingIfNeeded: (bits &+ (0x7FFF &+ ((bits >> 16) & 1))) >> 16)
    }

    /// Matches: ggml `nearest_int` — round half to even via the 1.5·2^23 trick, which also gives a
    /// defined (if meaningless) result for values out of range instead of trapping.
    @inline(__always)
    static func nearestInt(_ value: Float) -> Int {
        let shifted = value + 12_582_912
        return Int(Int32(bitPattern: shifted.bitPattern) & 0x007F_FFFF) - 0x0040_0000
    }

    @inline(__always)
    static func storeHalf(_ value: Float, _ destination: UnsafeMutableRawPointer, at offset: Int) {
        destination.storeBytes(of: Float16(value).bitPattern.littleEndian, toByteOffset: offset, as: UInt16.self)
    }

    /// Matches: ggml `quantize_row_q8_0_ref` — d = max|x|/127, q = roundf(x/d) (half away from zero).
    static func quantizeQ8_0(_ x: UnsafePointer<Float>, into y: UnsafeMutableRawPointer) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(x[j])) }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        storeHalf(d, y, at: 0)
        for j in 0..<32 {
            let q = (x[j] * id).rounded(.toNearestOrAwayFromZero)
            y.storeBytes(of: Int8(clamping: Int(exactly: q) ?? 0), toByteOffset: 2 + j, as: Int8.self)
        }
    }

    /// Matches: ggml `quantize_row_q4_0_ref` — d = (signed value of largest magnitude)/-8,
    /// q = min(15, trunc(x/d + 8.5)); element j in the low nibble of byte j, j+16 in the high one.
    static func quantizeQ4_0(_ x: UnsafePointer<Float>, into y: UnsafeMutableRawPointer) {
        var amax: Float = 0
        var extreme: Float = 0
        for j in 0..<32 where amax < abs(x[j]) {
            amax = abs(x[j])
            extreme = x[j]
        }
        let d = extreme / -8
        let id: Float = d != 0 ? 1 / d : 0
        storeHalf(d, y, at: 0)
        for j in 0..<16 {
            let low = nibble(x[j] * id + 8.5)
            let high = nibble(x[16 + j] * id + 8.5)
            y.storeBytes(of: low | (high << 4), toByteOffset: 2 + j, as: UInt8.self)
        }
    }

    /// `(int8_t)v` then `MIN(15, ·)` as ggml writes it, without trapping on NaN or huge values.
    @inline(__always)
    private static func nibble(_ v: Float) -> UInt8 {
        guard v.isFinite, v > -1, v < 128 else { return v >= 128 ? 15 : 0 }
        return UInt8(min(15, Int(v)))
    }
}
