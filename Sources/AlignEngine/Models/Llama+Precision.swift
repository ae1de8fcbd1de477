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
    /// one parallel region: int8 activations in `.fast` precision when every matrix has integer
    /// kernels, else f32 (with sgemm for a single sequence's prefill when `sgemm`).
    func linear(_ products: [(matrix: QuantizedMatrix, y: UnsafeMutablePointer<Float>, ldy: Int)],
                _ x: UnsafePointer<Float>, ldx: Int, cols: Int, m: Int, ws: LlamaWorkspace, sgemm: Bool) {
        if precision == .fast && products.allSatisfy({ $0.matrix.hasInt8Kernel }) {
            QuantizedMatrix.quantizeActivations(x, ldx: ldx, cols: cols, m: m, into: ws.quantized)
            QuantizedMatrix.multiplyQuantized(products, ws.quantized, m: m, pool: pool)
        } else {
            QuantizedMatrix.multiply(products, x, ldx: ldx, m: m, pool: pool, allowSGEMM: sgemm)
        }
    }
}
