/// How a model is opened: the `model(id, quantize:, threads:, context:, precision:)` options. Two loads with
/// equal options share one loaded model (see `ModelCache`).
public struct ModelLoadOptions: Sendable, Hashable {
    /// Worker threads for the model's passes; nil uses the process-wide pool (`ALIGN_THREADS`).
    public var threads: Int?
    /// Longest sequence (prompt + generated tokens) a request may use; nil: the model's trained
    /// maximum.
    public var context: Int?
    /// Weight type to run the matrices in: `q8_0`, `q4_0` or `q4_k` quantize f32/f16/bf16
    /// checkpoints at load; the stored type itself (`"Q4_1"` for a Q4_1 GGUF) is accepted as is.
    public var quantize: String?
    /// How a causal LM multiplies activations with its weights: `fast` (llama.cpp's int8
    /// activations) or `exact` (f32, like transformers); nil: `ALIGN_PRECISION`, else `fast`.
    public var precision: LlamaModel.Precision?

    public init(threads: Int? = nil, context: Int? = nil, quantize: String? = nil, precision: LlamaModel.Precision? = nil) {
        self.threads = threads
        self.context = context
        self.quantize = quantize
        self.precision = precision
    }

    func validate() throws(EngineError) {
        if let threads, !(1...256).contains(threads) {
            throw .invalidArgument("threads must be between 1 and 256, got \(threads)")
        }
        if let context, context < 1 { throw .invalidArgument("context must be at least 1, got \(context)") }
    }
}
