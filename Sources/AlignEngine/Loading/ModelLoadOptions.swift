/// How a model is opened: the `model(id, quantize:, threads:, context:)` options. Two loads with
/// equal options share one loaded model (see `ModelCache`).
public struct ModelLoadOptions: Sendable, Hashable {
    /// Worker threads for the model's passes; nil uses the process-wide pool (`ALIGN_THREADS`).
    public var threads: Int?
    /// Longest sequence (prompt + generated tokens) a request may use; nil: the model's trained
    /// maximum.
    public var context: Int?
    /// The weight type the caller expects (`"Q4_1"`, `"F32"` …). The engine runs weights in their
    /// stored type and does not re-quantize, so a different type is refused rather than ignored.
    public var quantize: String?

    public init(threads: Int? = nil, context: Int? = nil, quantize: String? = nil) {
        self.threads = threads
        self.context = context
        self.quantize = quantize
    }

    func validate() throws(EngineError) {
        if let threads, !(1...256).contains(threads) {
            throw .invalidArgument("threads must be between 1 and 256, got \(threads)")
        }
        if let context, context < 1 { throw .invalidArgument("context must be at least 1, got \(context)") }
    }
}
