import CBLAS
import Foundation

/// The element-wise and row-wise steps of the encoder, on packed `[rows, width]` f32 buffers.
/// Matrix products go to OpenBLAS; these loops are the rest.
enum BertMath {
    /// `y[rows, out] = x[rows, in]·Wᵀ + b` (PyTorch `nn.Linear`), y starts as the bias rows.
    static func linear(_ x: UnsafePointer<Float>, rows: Int, _ layer: BertLinear, into y: UnsafeMutablePointer<Float>) {
        let out = layer.outputs
        for r in 0..<rows { (y + r * out).update(from: layer.bias.values, count: out) }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(out), Int32(layer.inputs),
                    1, x, Int32(layer.inputs), layer.weight.values, Int32(layer.inputs), 1, y, Int32(out))
    }

    /// `x = LayerNorm(x + residual)` row by row (biased variance, as `nn.LayerNorm`).
    static func addAndNormalize(_ x: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?, rows: Int, width: Int,
                                _ norm: BertLayerNorm, epsilon: Float) {
        let g = norm.weight.values, b = norm.bias.values
        for r in 0..<rows {
            let row = x + r * width
            if let residual {
                let res = residual + r * width
                for i in 0..<width { row[i] += res[i] }
            }
            var mean: Float = 0
            for i in 0..<width { mean += row[i] }
            mean /= Float(width)
            var variance: Float = 0
            for i in 0..<width {
                let d = row[i] - mean
                variance += d * d
            }
            variance /= Float(width)
            let scale = 1 / (variance + epsilon).squareRoot()
            for i in 0..<width { row[i] = (row[i] - mean) * scale * g[i] + b[i] }
        }
    }

    /// Matches: PyTorch `F.gelu` (exact, erf) and `approximate="tanh"`.
    static func activate(_ x: UnsafeMutablePointer<Float>, count: Int, _ activation: BertConfig.Activation) {
        switch activation {
        case .gelu:
            let invSqrt2: Float = 0.70710678118654752
            for i in 0..<count { x[i] = 0.5 * x[i] * (1 + erf(x[i] * invSqrt2)) }
        case .geluTanh:
            let c: Float = 0.79788456080286536
            for i in 0..<count {
                let v = x[i]
                x[i] = 0.5 * v * (1 + tanhf(c * (v + 0.044715 * v * v * v)))
            }
        }
    }

    /// erf as a rational function of x on [-4, 4] (|erf| rounds to 1 beyond), without a libm
    /// call so the GELU loop vectorises; libm `erff` took a fifth of MiniLM's time.
    /// Matches: Eigen `generic_fast_erf_float` (same coefficients); agrees with `erff` to a few ulp.
    @inline(__always)
    static func erf(_ value: Float) -> Float {
        let x = min(max(value, -4), 4)
        let x2 = x * x
        var p: Float = -2.72614225801306e-10
        p = p * x2 + 2.77068142495902e-08
        p = p * x2 - 2.10102402082508e-06
        p = p * x2 - 5.69250639462346e-05
        p = p * x2 - 7.34990630326855e-04
        p = p * x2 - 2.95459980854025e-03
        p = p * x2 - 1.60960333262415e-02
        var q: Float = -1.45660718464996e-05
        q = q * x2 - 2.13374055278905e-04
        q = q * x2 - 1.68282697438203e-03
        q = q * x2 - 7.37332916720468e-03
        q = q * x2 - 1.42647390514189e-02
        return x * p / q
    }

    /// e^x as a polynomial after range reduction, without a libm call so softmax loops vectorise
    /// (libm `expf` was a tenth of MiniLM's time). Inputs are clamped to [-87.3, 88.7] (NaN to the
    /// low end); rounding uses the 1.5·2²³ trick, which needs only SSE2.
    /// Matches: Cephes `expf` (same reduction constants and coefficients), within 2 ulp of `expf`.
    @inline(__always)
    static func exp(_ value: Float) -> Float {
        var x = value > -87.3 ? value : -87.3
        x = x < 88.7 ? x : 88.7
        let shifter: Float = 12_582_912
        let n = (x * 1.44269504088896341 + shifter) - shifter
        let r = x - n * 0.693359375 + n * 2.12194440e-4
        var p: Float = 1.9875691500e-4
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let e = p * r * r + r + 1
        return e * Float(bitPattern: UInt32(bitPattern: (Int32(n) &+ 127) << 23))
    }

    /// Softmax over each row of `scores[rows, cols]` with every column kept.
    static func softmaxRows(_ scores: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        for r in 0..<rows {
            let row = scores + r * cols
            var maximum = row[0]
            for c in 1..<max(cols, 1) { maximum = max(maximum, row[c]) }
            var sum: Float = 0
            for c in 0..<cols {
                let e = exp(row[c] - maximum)
                row[c] = e
                sum += e
            }
            let inv = 1 / sum
            for c in 0..<cols { row[c] *= inv }
        }
    }

    /// Softmax over each row of `scores[rows, cols]`; columns whose `keep` is false get weight 0
    /// (transformers adds the dtype's minimum to masked scores).
    static func softmaxRows(_ scores: UnsafeMutablePointer<Float>, rows: Int, cols: Int, keep: UnsafePointer<Bool>) {
        for r in 0..<rows {
            let row = scores + r * cols
            var maximum = -Float.infinity
            for c in 0..<cols where keep[c] { maximum = max(maximum, row[c]) }
            guard maximum > -Float.infinity else {
                // Every key masked: transformers' scores are then all equal, so the weights are uniform.
                for c in 0..<cols { row[c] = 1 / Float(cols) }
                continue
            }
            var sum: Float = 0
            for c in 0..<cols {
                let e = keep[c] ? expf(row[c] - maximum) : 0
                row[c] = e
                sum += e
            }
            let inv = 1 / sum
            for c in 0..<cols { row[c] *= inv }
        }
    }
}

/// The threads the encoder runs on: the engine's worker pool (`ALIGN_THREADS`, default: every
/// CPU), each calling single-threaded OpenBLAS.
enum BertThreads {
    static var count: Int { WorkerPool.shared.threadCount }
}
