/// One sequence to generate: a prompt (ids, or text encoded by the codec), sampler settings and
/// when to stop.
public struct GenerationRequest: Sendable {
    public enum Prompt: Sendable {
        case text(String)
        case tokens([Int32])
    }

    public var prompt: Prompt
    public var sampler: SamplerSettings
    public var maxTokens: Int
    /// Generation stops before the first occurrence of any of these in the decoded output; the
    /// stop string itself is not part of the result.
    public var stopStrings: [String]
    /// Ids that end generation besides the codec's EOS / end-of-turn ids.
    public var stopTokens: Set<Int32>
    /// Whether the codec's EOS / end-of-turn ids end generation (off to reproduce reference runs
    /// that ignore EOS).
    public var stopAtEndOfGeneration: Bool

    public init(prompt: Prompt, sampler: SamplerSettings = .greedy, maxTokens: Int = 128,
                stopStrings: [String] = [], stopTokens: Set<Int32> = [], stopAtEndOfGeneration: Bool = true) {
        self.prompt = prompt
        self.sampler = sampler
        self.maxTokens = maxTokens
        self.stopStrings = stopStrings
        self.stopTokens = stopTokens
        self.stopAtEndOfGeneration = stopAtEndOfGeneration
    }
}

public struct GenerationResult: Sendable, Equatable {
    public enum FinishReason: String, Sendable {
        /// An end-of-generation or stop token was sampled (it is in `tokens`, not in `text`).
        case endOfGeneration
        case stopString
        case maxTokens
    }

    public var promptTokens: [Int32]
    /// Sampled ids, including a final EOS / stop token.
    public var tokens: [Int32]
    public var text: String
    public var finishReason: FinishReason
}

/// A piece of streamed output: sequence `index` of the batch produced `token` and `text` (the
/// newly safe-to-show text, possibly empty while a stop string or a character is incomplete).
public struct GenerationEvent: Sendable {
    public let index: Int
    public let token: Int32
    public let text: String
}
