import AlignEngine
import AlignSyntax

/// `generate` and `chat`: sampling options in the order LANGUAGE.md lists them, a string or a
/// list of prompts (a list is generated as one batch), the checkpoint's defaults for whatever
/// is not given (greedy unless its generation config samples).
extension ModelBuiltins {
    /// The shared keyword options after the prompt argument.
    static let samplingParameters: [Builtin.Parameter] = [
        .init("max_tokens", optional: true), .init("temperature", optional: true), .init("top_k", optional: true),
        .init("top_p", optional: true), .init("min_p", optional: true), .init("repeat_penalty", optional: true),
        .init("stop", optional: true), .init("seed", optional: true),
    ]

    static var generation: [Builtin] {
        [
            Builtin("generate", [.init("model"), .init("prompt")] + samplingParameters + [.init("beams", optional: true)],
                    doc: "Continues a prompt (or each prompt of a list, as one batch) with a causal LM; greedy unless `temperature` is set; `beams:` sets a BART/T5 model's beam search. `generate(lm, \"The capital of France is\", max_tokens: 8)`") { call in
                if let s2s = call.seq2seqModel(0) { return try seq2seqGenerate(call, s2s.loaded, s2s.model) }
                if let beams = try call.optionalInt(beamsArgument, "beams"), beams != 1 {
                    throw call.error(argument: beamsArgument, "`beams: \(beams)` needs an encoder-decoder model (BART, T5); causal and remote models decode one sequence per prompt")
                }
                if let client = call.remoteModel(0) { return try remoteGenerate(call, client) }
                let (_, lm) = try call.causalLM(0, "model")
                let (prompts, isList) = try call.textOrList(1, "prompt")
                let ids = prompts.map { lm.encode($0) }
                let outputs = try run(call, lm, ids, optionsFrom: 2)
                return isList ? .list(outputs.map(Value.string)) : .string(outputs.first ?? "")
            },
            Builtin("chat", [.init("model"), .init("messages")] + samplingParameters,
                    doc: "Applies the model's chat template to a user message or a list of `{role, content}` records, then generates the assistant's reply. `chat(lm, \"Say hi\")`") { call in
                if let client = call.remoteModel(0) { return try remoteChat(call, client) }
                let (_, lm) = try call.causalLM(0, "model")
                let messages = try chatMessages(call, 1)
                let ids = try call.engine { () throws(EngineError) in try lm.chatTokens(messages) }
                return .string(try run(call, lm, [ids], optionsFrom: 2).first ?? "")
            },
        ]
    }

    /// Reads the sampling options starting at argument `first` and generates.
    static func run(_ call: BuiltinCall, _ lm: CausalLanguageModel, _ prompts: [[Int32]], optionsFrom first: Int) throws -> [String] {
        let options = try samplingOptions(call, from: first, defaults: lm.defaultSampler)
        return try ModelCallLog.shared.generate(call, lm, prompts, sampler: options.sampler, maxTokens: options.maxTokens,
                                                stop: options.stop)
    }

    /// The `samplingParameters` of a call starting at argument `first`, over the model's own
    /// defaults (`defaults(seed)`), shared by causal and seq2seq generation.
    static func samplingOptions(_ call: BuiltinCall, from first: Int, defaults: (UInt64) -> SamplerSettings) throws
        -> (sampler: SamplerSettings, maxTokens: Int, stop: [String]) {
        let maxTokens = try call.optionalInt(first, "max_tokens") ?? defaultMaxTokens
        guard maxTokens >= 0 else { throw call.error(argument: first, "`max_tokens` must be >= 0, got \(maxTokens)") }
        var sampler = defaults(try seed(call, first + 7))
        if let t = try call.optionalNumber(first + 1, "temperature") { sampler.temperature = t }
        if let k = try call.optionalInt(first + 2, "top_k") { sampler.topK = k }
        if let p = try call.optionalNumber(first + 3, "top_p") { sampler.topP = p }
        if let p = try call.optionalNumber(first + 4, "min_p") { sampler.minP = p }
        if let r = try call.optionalNumber(first + 5, "repeat_penalty") { sampler.repetitionPenalty = r }
        return (sampler, maxTokens, try stopStrings(call, first + 6))
    }

    /// `seed:` as the sampler's 64-bit seed (negative seeds are refused, not wrapped).
    static func seed(_ call: BuiltinCall, _ i: Int) throws -> UInt64 {
        guard let s = try call.optionalInt(i, "seed") else { return 0 }
        guard s >= 0 else { throw call.error(argument: i, "`seed` must be >= 0, got \(s)") }
        return UInt64(s)
    }

    /// `stop:` as one string or a list of strings.
    static func stopStrings(_ call: BuiltinCall, _ i: Int) throws -> [String] {
        guard i < call.arguments.count, let v = call.arguments[i], v != .null else { return [] }
        let stops = try call.textOrList(i, "stop").texts
        if stops.contains("") { throw call.error(argument: i, "stop strings must not be empty") }
        return stops
    }

    /// A string (one user turn) or a list of `{role, content}` records.
    static func chatMessages(_ call: BuiltinCall, _ i: Int) throws -> [ChatMessage] {
        let v = try call.argument(i)
        switch v {
        case .string(let s): return [ChatMessage(role: "user", content: s)]
        case .list(let items):
            return try items.enumerated().map { k, item in
                guard case .record(let r) = item, case .string(let role)? = r["role"], case .string(let content)? = r["content"] else {
                    throw call.error(argument: i, "message \(k) must be a record {role: \"…\", content: \"…\"} of strings, found \(item.reprString.prefix(60))")
                }
                return ChatMessage(role: role, content: content)
            }
        default: throw call.typeError(i, "messages", expected: "a string or a list of {role, content} records", found: v)
        }
    }
}
