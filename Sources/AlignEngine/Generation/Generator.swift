/// Runs generation requests on a `LlamaModel`: each prompt is prefilled on its own, then all
/// unfinished sequences decode together, one token per step, in one batched forward pass. A
/// sequence's output depends only on its own request (prompt, settings, seed), never on the
/// others in the batch or the thread count.
public final class Generator: @unchecked Sendable {
    public let model: LlamaModel
    public let codec: (any TextCodec)?

    public init(model: LlamaModel, codec: (any TextCodec)?) {
        self.model = model
        self.codec = codec
    }

    private final class Sequence {
        let request: GenerationRequest
        let prompt: [Int32]
        let cache: LlamaKVCache
        var sampler: Sampler
        let stops: StopStringMatcher
        var tokens: [Int32] = []
        var shown = 0
        var text = ""
        var finish: GenerationResult.FinishReason?
        var logits: [Float] = []

        init(request: GenerationRequest, prompt: [Int32], cache: LlamaKVCache) {
            self.request = request
            self.prompt = prompt
            self.cache = cache
            sampler = Sampler(settings: request.sampler)
            stops = StopStringMatcher(request.stopStrings)
        }
    }

    /// Generates every request; `onEvent` (if given) sees each token as it is sampled.
    public func generate(_ requests: [GenerationRequest],
                         onEvent: ((GenerationEvent) -> Void)? = nil) throws(EngineError) -> [GenerationResult] {
        var sequences: [Sequence] = []
        for request in requests {
            try request.sampler.validate()
            guard request.maxTokens >= 0 else { throw .invalidArgument("max_tokens must be >= 0, got \(request.maxTokens)") }
            let prompt = try tokens(for: request.prompt)
            sequences.append(Sequence(request: request, prompt: prompt, cache: model.makeCache()))
        }
        for s in sequences {
            if s.request.maxTokens == 0 { s.finish = .maxTokens; continue }
            try Cancellation.checkpoint()
            s.logits = try model.forward(tokens: s.prompt, cache: s.cache)
        }
        while true {
            try Cancellation.checkpoint()
            let active = sequences.indices.filter { sequences[$0].finish == nil }
            if active.isEmpty { break }
            var inputs: [LlamaModel.Input] = []
            var fed: [Int] = []
            for i in active {
                let s = sequences[i]
                let token = s.sampler.next(logits: s.logits, history: s.prompt + s.tokens)
                s.tokens.append(token)
                advance(s, index: i, token: token, onEvent: onEvent)
                if s.finish == nil { inputs.append(.init(tokens: [token], cache: s.cache)); fed.append(i) }
            }
            if inputs.isEmpty { break }
            let logits = try model.forward(inputs)
            for (k, i) in fed.enumerated() { sequences[i].logits = logits[k] }
        }
        return sequences.map { s in
            GenerationResult(promptTokens: s.prompt, tokens: s.tokens, text: s.text, finishReason: s.finish ?? .maxTokens)
        }
    }

    private func tokens(for prompt: GenerationRequest.Prompt) throws(EngineError) -> [Int32] {
        switch prompt {
        case .tokens(let ids):
            guard !ids.isEmpty else { throw .invalidArgument("empty prompt") }
            return ids
        case .text(let text):
            guard let codec else { throw .invalidArgument("a text prompt needs a tokenizer") }
            let ids = codec.encode(text)
            guard !ids.isEmpty else { throw .invalidArgument("the prompt encodes to no tokens") }
            return ids
        }
    }

    /// Updates text, stop conditions and the stream after `token` was sampled.
    private func advance(_ s: Sequence, index: Int, token: Int32, onEvent: ((GenerationEvent) -> Void)?) {
        let ends = s.request.stopTokens.contains(token)
            || (s.request.stopAtEndOfGeneration && (codec?.isEndOfGeneration(token) ?? false))
        let visible = ends ? Array(s.tokens.dropLast()) : s.tokens
        let full = codec?.decode(visible) ?? ""
        var safe = s.stops.safePrefixLength(full)
        if let cut = s.stops.truncated(full) {
            s.text = cut
            s.finish = .stopString
            safe = cut.unicodeScalars.count
        } else if ends {
            s.text = full
            s.finish = .endOfGeneration
            safe = full.unicodeScalars.count
        } else {
            s.text = full
            if s.tokens.count >= s.request.maxTokens {
                s.finish = .maxTokens
                safe = full.unicodeScalars.count
            }
        }
        let scalars = Array(s.text.unicodeScalars)
        let upTo = min(max(safe, s.shown), scalars.count)
        var delta = String.UnicodeScalarView()
        delta.append(contentsOf: scalars[min(s.shown, upTo)..<upTo])
        s.shown = upTo
        onEvent?(GenerationEvent(index: index, token: token, text: String(delta)))
    }
}
