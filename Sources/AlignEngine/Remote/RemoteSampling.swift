/// The decoding settings sent with each request. Fields left nil are not sent, so the server's
/// own defaults apply to them; `temperature` is always sent (0 = greedy unless a script asks to
/// sample) so a script means the same thing against a server as in-process.
public struct RemoteSampling: Sendable, Equatable {
    public var maxTokens: Int
    public var temperature: Double
    public var topP: Double?
    /// Not in OpenAI's API; vLLM, llama.cpp and `align serve` read it as an extension field.
    public var topK: Int?
    /// Extension field (vLLM, llama.cpp).
    public var minP: Double?
    /// Sent as vLLM's `repetition_penalty` extension (the language calls it `repeat_penalty`).
    public var repetitionPenalty: Double?
    public var stop: [String]
    public var seed: UInt64?

    public init(maxTokens: Int, temperature: Double = 0, topP: Double? = nil, topK: Int? = nil, minP: Double? = nil,
                repetitionPenalty: Double? = nil, stop: [String] = [], seed: UInt64? = nil) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.stop = stop
        self.seed = seed
    }

    /// The settings as run manifests record them (only what was sent).
    public var manifest: [String: String] {
        var m = ["max_tokens": "\(maxTokens)", "temperature": "\(temperature)"]
        if let topP { m["top_p"] = "\(topP)" }
        if let topK { m["top_k"] = "\(topK)" }
        if let minP { m["min_p"] = "\(minP)" }
        if let repetitionPenalty { m["repetition_penalty"] = "\(repetitionPenalty)" }
        if !stop.isEmpty { m["stop"] = stop.joined(separator: "\u{1F}") }
        if let seed { m["seed"] = "\(seed)" }
        return m
    }
}
