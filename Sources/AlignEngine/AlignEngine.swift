/// The CPU inference engine: model formats, tokenizers, kernels, model families and generation.
/// Knows nothing of the language.
public enum AlignEngine {
    public static let version = "0.1.0"
}
