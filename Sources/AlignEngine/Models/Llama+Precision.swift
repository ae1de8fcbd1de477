#if canImport(Glibc)
import Glibc
#endif

extension LlamaModel {
    /// How a LLaMA model multiplies activations with its quantized weights.
    public enum Precision: String, Sendable, CaseIterable {
        /// Activation rows are quantized to int8 blocks once per product and multiplied with
        /// integer dot products, and queries, keys and values are rounded to f16, as llama.cpp
        /// does (f16 KV cache): its greedy outputs are reproduced (`llamacpp_greedy.json`).
        /// Int8 products apply to Q4_0, Q4_1 and Q8_0 weights; other types multiply in f32.
        case fast
        /// f32 activations against weights dequantized in registers: matches transformers in
        /// fp32 on the dequantized weights (`torch_greedy.json`).
        case exact

        /// `ALIGN_PRECISION=exact` selects `.exact`; anything else (or unset) `.fast`.
        public static var environmentDefault: Precision {
            guard let raw = getenv("ALIGN_PRECISION") else { return .fast }
            return Precision(rawValue: String(cString: raw)) ?? .fast
        }
    }

    /// `y = W x` for several matrices sharing the input rows `x` (`[m, cols]`, stride `ldx`), in
    /// one parallel region: int8 activations when every matrix is packed for the int8 kernels
    /// (`.fast` precision), else f32 (with sgemm for a single sequence's prefill when `sgemm`).
    func linear(_ products: [(weight: LinearWeight, y: UnsafeMutablePointer<Float>, ldy: Int)],
                _ x: UnsafePointer<Float>, ldx: Int, cols: Int, m: Int, ws: LlamaWorkspace, sgemm: Bool) {
        let packed = products.compactMap { p in p.weight.packed.map { (matrix: $0, y: p.y, ldy: p.ldy) } }
        if packed.count == products.count {
            QuantizedMatrix.quantizeActivations(x, ldx: ldx, cols: cols, m: m, into: ws.quantized)
            Int8PackedMatrix.multiply(packed, ws.quantized, m: m, pool: pool)
        } else {
            QuantizedMatrix.multiply(products.map { (matrix: $0.weight.stored, y: $0.y, ldy: $0.ldy) }, x, ldx: ldx, m: m,
                                     pool: pool, allowSGEMM: sgemm)
        }
    }
}

/// A weight matrix as stored, and packed for the int8 kernels when the fast precision uses them.
struct LinearWeight {
    let stored: QuantizedMatrix
    let packed: Int8PackedMatrix?

    /// Whether products run on the int8 kernels, which compute each row the same way whatever
    /// the rows beside it.
    var hasInt8Kernel: Bool { packed != nil }

    /// Row `r` as f32 (a token's embedding when the output layer is tied to it): from the packed
    /// copy when there is one, since packing released the stored pages.
    func dequantizeRow(_ r: Int, into out: UnsafeMutablePointer<Float>) {
        if let packed { packed.dequantizeRow(r, into: out) } else { stored.dequantizeRow(r, into: out) }
    }

    /// In `.fast` precision every matrix with an int8 kernel is packed (all into one arena);
    /// the shape of `matrices` is kept.
    static func prepare(_ matrices: [[QuantizedMatrix]], precision: LlamaModel.Precision, pool: WorkerPool) -> [[LinearWeight]] {
        guard precision == .fast else { return matrices.map { $0.map { LinearWeight(stored: $0, packed: nil) } } }
        let flat = matrices.flatMap { $0 }.filter(\.hasInt8Kernel)
        let packed = QuantizedMatrix.packForInt8(flat, pool: pool)
        var next = 0
        return matrices.map { group in
            group.map { m in
                guard m.hasInt8Kernel else { return LinearWeight(stored: m, packed: nil) }
                defer { next += 1 }
                return LinearWeight(stored: m, packed: packed[next])
            }
        }
    }
}
