/// Q4_K: super-blocks of 256 values = 8 sub-blocks of 32, each with a 6-bit scale and 6-bit min
/// relative to the f16 `d` and `dmin` of the super-block; 4-bit values.
/// Layout (144 bytes): d f16, dmin f16, scales[12], qs[128].
extension BlockQuantizer {
    /// Matches: ggml `quantize_row_q4_K_ref` (with `make_qkx2_quants(32, 15, x, weights, L, &min,
    /// Laux, -1, 0.1, 20, false)` per sub-block, weights = rms(x) + |x|).
    static func quantizeQ4_K(_ x: UnsafePointer<Float>, into y: UnsafeMutableRawPointer) {
        var levels = [UInt8](repeating: 0, count: 256)
        var scales = [Float](repeating: 0, count: 8)
        var mins = [Float](repeating: 0, count: 8)
        var weights = [Float](repeating: 0, count: 32)
        var maxScale: Float = 0
        var maxMin: Float = 0
        levels.withUnsafeMutableBufferPointer { all in
            guard let L = all.baseAddress else { return }
            for j in 0..<8 {
                let sub = x + 32 * j
                var sumX2: Float = 0
                for l in 0..<32 { sumX2 += sub[l] * sub[l] }
                let average = (sumX2 / 32).squareRoot()
                for l in 0..<32 { weights[l] = average + abs(sub[l]) }
                let fit = fitScaleAndMin(sub, weights: weights, levels: L + 32 * j)
                scales[j] = fit.scale
                mins[j] = fit.min
                if fit.scale > maxScale { maxScale = fit.scale }
                if fit.min > maxMin { maxMin = fit.min }
            }
        }
        let inverseScale: Float = maxScale > 0 ? 63 / maxScale : 0
        let inverseMin: Float = maxMin > 0 ? 63 / maxMin : 0
        var packed = [UInt8](repeating: 0, count: 12)
        for j in 0..<8 {
            let ls = min(63, UInt8(truncatingIfNeeded: nearestInt(inverseScale * scales[j])))
            let lm = min(63, UInt8(truncatingIfNeeded: nearestInt(inverseMin * mins[j])))
            if j < 4 {
                packed[j] = ls
                packed[j + 4] = lm
            } else {
                packed[j + 4] = (ls & 0xF) | ((lm & 0xF) << 4)
                packed[j - 4] |= (ls >> 4) << 6
                packed[j] |= (lm >> 4) << 6
            }
        }
        let d = Float16(maxScale / 63)
        let dmin = Float16(maxMin / 63)
        y.storeBytes(of: d.bitPattern.littleEndian, toByteOffset: 0, as: UInt16.self)
        y.storeBytes(of: dmin.bitPattern.littleEndian, toByteOffset: 2, as: UInt16.self)
        for k in 0..<12 { y.storeBytes(of: packed[k], toByteOffset: 4 + k, as: UInt8.self) }

        for j in 0..<8 {
            let (sc, m) = scaleAndMin(j, packed)
            let subScale = Float(d) * Float(sc)
            if subScale == 0 { continue }
            let subMin = Float(dmin) * Float(m)
            for i in 0..<32 {
                levels[32 * j + i] = UInt8(max(0, min(15, nearestInt((x[32 * j + i] + subMin) / subScale))))
            }
        }
        for chunk in 0..<4 {
            for l in 0..<32 {
                let byte = levels[64 * chunk + l] | (levels[64 * chunk + l + 32] << 4)
                y.storeBytes(of: byte, toByteOffset: 16 + 32 * chunk + l, as: UInt8.self)
            }
        }
    }

    /// Matches: ggml `get_scale_min_k4` — the 6-bit scale and min of sub-block `j`.
    static func scaleAndMin(_ j: Int, _ q: [UInt8]) -> (UInt8, UInt8) {
        if j < 4 { return (q[j] & 63, q[j + 4] & 63) }
        return ((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4), (q[j + 4] >> 4) | ((q[j] >> 6) << 4))
    }

    /// Matches: ggml `make_qkx2_quants` with nmax 15, rmin -1, rdelta 0.1, nstep 20, squared error:
    /// an asymmetric 4-bit fit (scale, -min) chosen by weighted least squares over 21 candidate
    /// inverse scales. Writes the levels of the best fit into `levels`.
    private static func fitScaleAndMin(_ x: UnsafePointer<Float>, weights: [Float],
                                       levels: UnsafeMutablePointer<UInt8>) -> (scale: Float, min: Float) {
        let n = 32, nmax: Float = 15
        var low = x[0], high = x[0]
        var sumW = weights[0]
        var sumX = sumW * x[0]
        for i in 1..<n {
            if x[i] < low { low = x[i] }
            if x[i] > high { high = x[i] }
            let w = weights[i]
            sumW += w
            sumX += w * x[i]
        }
        if low > 0 { low = 0 }
        if high == low {
            for i in 0..<n { levels[i] = 0 }
            return (0, -low)
        }
        var inverse = nmax / (high - low)
        var scale = 1 / inverse
        var bestError: Float = 0
        for i in 0..<n {
            let l = max(0, min(15, nearestInt(inverse * (x[i] - low))))
            levels[i] = UInt8(l)
            let diff = scale * Float(l) + low - x[i]
            bestError += weights[i] * (diff * diff)
        }
        var trial = [UInt8](repeating: 0, count: n)
        for step in 0...20 {
            inverse = (-1 + 0.1 * Float(step) + nmax) / (high - low)
            var sumL: Float = 0, sumL2: Float = 0, sumXL: Float = 0
            for i in 0..<n {
                let l = max(0, min(15, nearestInt(inverse * (x[i] - low))))
                trial[i] = UInt8(l)
                let w = weights[i]
                let lf = Float(l)
                sumL += w * lf
                sumL2 += w * lf * lf
                sumXL += w * lf * x[i]
            }
            let det = sumW * sumL2 - sumL * sumL
            guard det > 0 else { continue }
            var thisScale = (sumW * sumXL - sumX * sumL) / det
            var thisMin = (sumL2 * sumX - sumL * sumXL) / det
            if thisMin > 0 {
                thisMin = 0
                thisScale = sumXL / sumL2
            }
            var error: Float = 0
            for i in 0..<n {
                let diff = thisScale * Float(trial[i]) + thisMin - x[i]
                error += weights[i] * (diff * diff)
            }
            if error < bestError {
                for i in 0..<n { levels[i] = trial[i] }
                bestError = error
                scale = thisScale
                low = thisMin
            }
        }
        return (scale, -low)
    }
}
