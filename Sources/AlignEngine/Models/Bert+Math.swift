import Foundation

/// Element-wise and row-wise steps on packed `[rows, width]` f32 buffers, and OpenBLAS products,
/// for the BERT classifier head and the seq2seq models (the BERT encoder's own steps are in
/// CKernels: `ck_bert_linear`, `ck_bert_attend_head`, `ck_bert_add_layer_norm`, `ck_bert_gelu`).
enum BertMath {
    /// `y[rows, out] = x[rows, in]·Wᵀ + b` (PyTorch `nn.Linear`), y starts as the bias rows.
    static func linear(_ x: UnsafePointer<Float>, rows: Int, _ layer: BertLinear, into y: UnsafeMutablePointer<Float>) {
        let out = layer.outputs
        for r in 0..<rows { (y + r * out).update(from: layer.bias.values, count: out) }
        BLAS.sgemm(.none, .transposed, m: rows, n: out, k: layer.inputs, alpha: 1, x, lda: layer.inputs,
                   layer.weight.values, ldb: layer.inputs, beta: 1, y, ldc: out)
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
}

/// The threads the encoder runs on: the engine's worker pool (`ALIGN_THREADS`, default: every CPU).
enum BertThreads {
    static var count: Int { WorkerPool.shared.threadCount }
}
