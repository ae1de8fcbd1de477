import Foundation

/// A model ready to use: what `model(id)` returns to the language. It hides where the weights came
/// from (GGUF, HF folder, LoRA adapter) behind its kind: a causal LM, a BERT encoder or a BART/T5
/// encoder-decoder.
public final class LoadedModel: @unchecked Sendable {
    public enum Kind: Sendable {
        case causalLM(CausalLanguageModel)
        case encoder(EncoderModel)
        case seq2seq(Seq2SeqModel)
    }

    /// What the caller asked for (`"smollm2"`, a path, a repo id).
    public let id: String
    public let source: ModelSource
    public let kind: Kind
    /// Architecture family as the checkpoint names it (`llama`, `bert`).
    public let family: String
    /// Number of weights stored in the checkpoint.
    public let parameterCount: Int
    /// The dominant stored type of the weight matrices (`Q4_1`, `F32`, `BF16` …).
    public let quantization: String
    public let options: ModelLoadOptions

    init(id: String, source: ModelSource, kind: Kind, family: String, parameterCount: Int,
         quantization: String, options: ModelLoadOptions) {
        self.id = id
        self.source = source
        self.kind = kind
        self.family = family
        self.parameterCount = parameterCount
        self.quantization = quantization
        self.options = options
    }

    /// The file or folder holding the weights (the adapter folder for a LoRA adapter).
    public var file: String {
        switch source {
        case .gguf(let path), .folder(let path), .adapter(let path, _): path
        }
    }

    public var causalLM: CausalLanguageModel? {
        if case .causalLM(let m) = kind { m } else { nil }
    }

    public var encoder: EncoderModel? {
        if case .encoder(let m) = kind { m } else { nil }
    }

    public var seq2seq: Seq2SeqModel? {
        if case .seq2seq(let m) = kind { m } else { nil }
    }

    /// A short kind name for messages: `causal LM`, `sentence encoder`, `classifier`, `encoder`,
    /// `seq2seq LM`.
    public var kindName: String {
        switch kind {
        case .causalLM: "causal LM"
        case .encoder(let e): e.classifier != nil ? "classifier" : e.embedder != nil ? "sentence encoder" : "encoder"
        case .seq2seq: "seq2seq LM"
        }
    }

    /// `135M`, `1.1B`, `22.7M`: the parameter count as model cards write it.
    public var parameterText: String {
        let n = Double(parameterCount)
        if n >= 1e9 { return Self.compact(n / 1e9) + "B" }
        if n >= 1e6 { return Self.compact(n / 1e6) + "M" }
        if n >= 1e3 { return Self.compact(n / 1e3) + "K" }
        return String(parameterCount)
    }

    private static func compact(_ x: Double) -> String {
        x >= 100 ? String(Int(x.rounded())) : String(format: "%.1f", x)
    }

    /// Statistics shown by the handle: parameter count and dominant weight type of `store`.
    static func weightFacts(_ store: TensorStore) -> (parameters: Int, quantization: String) {
        var total = 0
        var bytesByType: [DType: Int] = [:]
        for tensor in store.tensors.values {
            let (sum, overflow) = total.addingReportingOverflow(tensor.elementCount)
            total = overflow ? Int.max : sum
            if tensor.shape.count >= 2 { bytesByType[tensor.dtype, default: 0] += tensor.bytes.count }
        }
        let dominant = bytesByType.max { a, b in a.value != b.value ? a.value < b.value : a.key.rawValue > b.key.rawValue }
        return (total, dominant?.key.rawValue.uppercased() ?? "none")
    }
}
