import AlignEngine

/// A loaded model as the language sees it: passed to `generate`, `align`, `embed` … and shown as
/// `<model smollm2: llama causal LM, 135M params, Q4_1, /path/file.gguf>`.
public final class ModelHandle: Handle {
    public let model: LoadedModel

    public init(_ model: LoadedModel) { self.model = model }

    public var typeName: String { "model" }

    public var summary: String {
        "\(model.id): \(model.family) \(model.kindName), \(model.parameterText) params, \(model.quantization), \(model.file)"
    }
}
