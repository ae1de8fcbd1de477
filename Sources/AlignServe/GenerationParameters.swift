import AlignEngine

/// The generation settings of a `/v1/completions` or `/v1/chat/completions` body.
/// Matches: the OpenAI API reference for both endpoints, plus vLLM's extension fields `top_k`,
/// `min_p` and `repetition_penalty`. Fields the engine cannot honour are refused, not ignored.
struct GenerationParameters {
    var model: String?
    /// nil: the endpoint's default.
    var maxTokens: Int?
    var sampler: SamplerSettings
    var stop: [String]
    var stream: Bool
    /// `stream_options.include_usage`: a last chunk carrying `usage`.
    var includeUsage: Bool
    /// Choices per prompt; copy j samples with `seed + j`.
    var n: Int
    /// Completions: log-probabilities with this many alternatives (0...5).
    var logprobs: Int?
    /// Completions: the prompt is returned before the completion (with its logprobs).
    var echo: Bool
    /// vLLM's `ignore_eos`: keep generating past end-of-turn tokens (benchmarks, fixed lengths).
    var ignoreEOS: Bool

    static let maxChoices = 16
    static let maxStopStrings = 16
    static let maxTopLogprobs = 5

    /// Reads the fields; `defaults` is the model's own sampler (greedy unless its generation
    /// config samples), which unset fields keep.
    init(_ f: RequestFields, defaults: SamplerSettings, chat: Bool) throws(APIError) {
        model = try f.string("model")
        maxTokens = try f.int(chat && f["max_tokens"] == nil ? "max_completion_tokens" : "max_tokens")
        if let m = maxTokens, m < 0 { throw .invalid("`max_tokens` must be >= 0, got \(m)", param: "max_tokens") }
        sampler = defaults
        if let t = try f.number("temperature") { sampler.temperature = t }
        if let p = try f.number("top_p") { sampler.topP = p }
        if let k = try f.int("top_k") { sampler.topK = k == -1 ? 0 : k }
        if let p = try f.number("min_p") { sampler.minP = p }
        if let r = try f.number("repetition_penalty") { sampler.repetitionPenalty = r }
        if let s = try f.int("seed") {
            guard s >= 0 else { throw .invalid("`seed` must be >= 0, got \(s)", param: "seed") }
            sampler.seed = UInt64(s)
        }
        do { try sampler.validate() } catch { throw .invalid(error.description) }
        stop = try f.strings("stop")
        if stop.contains("") { throw .invalid("stop strings must not be empty", param: "stop") }
        if stop.count > Self.maxStopStrings { throw .invalid("at most \(Self.maxStopStrings) stop strings, got \(stop.count)", param: "stop") }
        stream = try f.bool("stream") ?? false
        includeUsage = false
        if let options = f["stream_options"] {
            guard let o = options.objectValue else { throw .invalid("`stream_options` must be an object", param: "stream_options") }
            includeUsage = try RequestFields(object: o).bool("include_usage") ?? false
        }
        ignoreEOS = try f.bool("ignore_eos") ?? false
        n = try f.int("n") ?? 1
        guard (1...Self.maxChoices).contains(n) else { throw .invalid("`n` must be between 1 and \(Self.maxChoices), got \(n)", param: "n") }
        echo = false
        if chat {
            if try f.bool("logprobs") == true {
                throw .invalid("logprobs are not supported on chat completions; use /v1/completions", param: "logprobs", code: "unsupported")
            }
        } else {
            logprobs = try f.int("logprobs")
            if let k = logprobs, !(0...Self.maxTopLogprobs).contains(k) {
                throw .invalid("`logprobs` must be between 0 and \(Self.maxTopLogprobs), got \(k)", param: "logprobs")
            }
            echo = try f.bool("echo") ?? false
        }
        try Self.refuseUnsupported(f)
    }

    /// OpenAI fields that would change the output in ways the engine does not implement.
    private static func refuseUnsupported(_ f: RequestFields) throws(APIError) {
        for key in ["frequency_penalty", "presence_penalty"] {
            if let v = try f.number(key), v != 0 {
                throw .invalid("`\(key)` is not supported (use `repetition_penalty`)", param: key, code: "unsupported")
            }
        }
        if let bias = f["logit_bias"], !(bias.objectValue?.isEmpty ?? false) {
            throw .invalid("`logit_bias` is not supported", param: "logit_bias", code: "unsupported")
        }
        if let best = try f.int("best_of"), best > 1 { throw .invalid("`best_of` is not supported", param: "best_of", code: "unsupported") }
        if let suffix = try f.string("suffix"), !suffix.isEmpty { throw .invalid("`suffix` is not supported", param: "suffix", code: "unsupported") }
        for key in ["tools", "functions"] where f[key] != nil {
            throw .invalid("`\(key)` (tool calling) is not supported", param: key, code: "unsupported")
        }
        if let format = f["response_format"], format["type"]?.stringValue != "text" {
            throw .invalid("`response_format` other than text is not supported", param: "response_format", code: "unsupported")
        }
    }

    /// The sampler for choice `copy` of a prompt: the request's seed plus the copy number.
    func sampler(copy: Int) -> SamplerSettings {
        var s = sampler
        s.seed = sampler.seed &+ UInt64(copy)
        return s
    }
}
