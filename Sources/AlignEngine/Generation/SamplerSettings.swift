/// How the next token is chosen. Temperature 0 means greedy (argmax, lowest id on ties).
/// The chain runs: repetition penalty → temperature → top-k → top-p → min-p → draw.
/// Matches: transformers' logits processors (RepetitionPenalty, Temperature, TopK, TopP, MinP),
/// applied in that order as `generate()` does.
public struct SamplerSettings: Sendable, Equatable {
    public var temperature: Double
    /// 0 disables.
    public var topK: Int
    /// 1 disables.
    public var topP: Double
    /// 0 disables.
    public var minP: Double
    /// 1 disables; > 1 discourages tokens already in the prompt or output.
    public var repetitionPenalty: Double
    public var seed: UInt64

    public init(temperature: Double = 0, topK: Int = 0, topP: Double = 1, minP: Double = 0,
                repetitionPenalty: Double = 1, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.seed = seed
    }

    public static let greedy = SamplerSettings()

    public func validate() throws(EngineError) {
        guard temperature >= 0, temperature.isFinite else { throw .invalidArgument("temperature must be >= 0, got \(temperature)") }
        guard topK >= 0 else { throw .invalidArgument("top_k must be >= 0, got \(topK)") }
        guard topP > 0, topP <= 1 else { throw .invalidArgument("top_p must be in (0, 1], got \(topP)") }
        guard minP >= 0, minP <= 1 else { throw .invalidArgument("min_p must be in [0, 1], got \(minP)") }
        guard repetitionPenalty > 0, repetitionPenalty.isFinite else {
            throw .invalidArgument("repetition_penalty must be > 0, got \(repetitionPenalty)")
        }
    }

    /// The chain as recorded in run manifests.
    public var manifest: [String: String] {
        ["temperature": "\(temperature)", "top_k": "\(topK)", "top_p": "\(topP)", "min_p": "\(minP)",
         "repetition_penalty": "\(repetitionPenalty)", "seed": "\(seed)",
         "chain": "repetition_penalty,temperature,top_k,top_p,min_p", "rng": "xoshiro256**/splitmix64"]
    }
}
