import CKernels
import RealModule

/// Row-wise f32 operations of a transformer block. Each works on one row in a fixed order, so a
/// row's result never depends on its neighbours.
enum Activations {
    /// `out = x / sqrt(mean(x²) + eps) * weight`.
    /// Matches: transformers `LlamaRMSNorm` (variance in f32, then scale by the weight).
    @inline(__always)
    static func rmsNorm(_ x: UnsafePointer<Float>, _ weight: UnsafePointer<Float>, _ n: Int,
                        epsilon: Float, into out: UnsafeMutablePointer<Float>) {
        var sum: Float = 0
        for i in 0..<n { sum = Relaxed.multiplyAdd(x[i], x[i], sum) }
        let scale = 1 / (sum / Float(n) + epsilon).squareRoot()
        for i in 0..<n { out[i] = weight[i] * (x[i] * scale) }
    }

    /// `gate[i] = silu(gate[i]) * up[i]` (SwiGLU), with the kernels' vectorized exp (libm's
    /// scalar `expf` was a tenth of prompt time).
    @inline(__always)
    static func siluMultiply(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, _ n: Int) {
        ck_silu_mul(gate, up, Int32(n))
    }

    @inline(__always)
    static func add(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) {
        for i in 0..<n { x[i] += y[i] }
    }
}

/// Rotary position embedding angles for one position, shared by every layer and head.
/// Matches: transformers `LlamaRotaryEmbedding` (inverse frequencies and angles rounded to f32
/// as torch computes them, cos/sin of the f32 angle).
struct RotaryTable {
    let inverseFrequencies: [Float]
    let style: LlamaConfig.RopeStyle
    let headDim: Int

    init(config: LlamaConfig) {
        let d = config.ropeDim
        inverseFrequencies = (0..<d / 2).map { i in
            let exponent = Float(2 * i) / Float(d)
            return 1 / Float(Double.pow(config.ropeTheta, Double(exponent)))
        }
        style = config.ropeStyle
        headDim = config.headDim
    }

    /// cos and sin for `position`, `ropeDim / 2` of each, written into `table` (2 × that many).
    func angles(position: Int, into table: UnsafeMutablePointer<Float>) {
        let half = inverseFrequencies.count
        for i in 0..<half {
            let angle = Double(Float(position) * inverseFrequencies[i])
            table[i] = Float(Double.cos(angle))
            table[half + i] = Float(Double.sin(angle))
        }
    }

    /// Rotates `heads` consecutive heads of `v` in place with the angles from `angles(position:)`.
    func apply(_ v: UnsafeMutablePointer<Float>, heads: Int, table: UnsafePointer<Float>) {
        let half = inverseFrequencies.count
        for h in 0..<heads {
            let head = v + h * headDim
            for i in 0..<half {
                let (a, b) = style == .interleaved ? (2 * i, 2 * i + 1) : (i, i + half)
                let c = table[i], s = table[half + i]
                let x0 = head[a], x1 = head[b]
                head[a] = x0 * c - x1 * s
                head[b] = x0 * s + x1 * c
            }
        }
    }
}
