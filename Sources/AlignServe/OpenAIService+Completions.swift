import AlignEngine

/// `POST /v1/completions`: one or more prompts (text or token ids), `n` choices each, optional
/// log-probabilities and echo, answered whole or as server-sent events.
extension OpenAIService {
    /// OpenAI's default when `max_tokens` is left out of a completions request.
    static let defaultCompletionTokens = 16

    func completions(_ request: HTTPRequest, _ responder: HTTPResponder) throws(APIError) {
        let f = try RequestFields.parse(request.body)
        let p = try GenerationParameters(f, defaults: lm.defaultSampler(), chat: false)
        try checkModel(p.model)
        let prompts = try completionPrompts(f)
        let maxTokens = p.maxTokens ?? Self.defaultCompletionTokens
        try checkLengths(prompts.map(\.ids), maxTokens: maxTokens)
        let subs = try submissions(prompts.map(\.ids), p, maxTokens: maxTokens, promptLogprobs: p.echo && p.logprobs != nil)
        let session = try GenerationSession(batcher: batcher, submissions: subs, streaming: p.stream)
        let run = CompletionRun(service: self, prompts: prompts, parameters: p, envelope: envelope("cmpl-"))
        if p.stream { run.stream(session, responder) } else { try run.answer(session, responder) }
    }

    /// `prompt`: a string, a list of strings, a list of token ids, or a list of such lists.
    private func completionPrompts(_ f: RequestFields) throws(APIError) -> [(text: String, ids: [Int32])] {
        guard let value = f["prompt"] else { throw .invalid("`prompt` is required", param: "prompt", code: "missing_field") }
        let items: [HFJSON]
        if value.stringValue != nil || value.arrayValue?.first?.intValue != nil {
            items = [value]
        } else if let list = value.arrayValue, !list.isEmpty {
            items = list
        } else {
            throw .invalid("`prompt` must be a string, a list of strings or a list of token ids, got \(RequestFields.show(value))", param: "prompt")
        }
        var prompts: [(text: String, ids: [Int32])] = []
        for (i, item) in items.enumerated() {
            let ids: [Int32]
            let text: String
            if let s = item.stringValue {
                ids = lm.encode(s)
                text = s
            } else if let list = item.arrayValue, !list.isEmpty, list.allSatisfy({ $0.intValue != nil }) {
                let vocabulary = lm.model.config.vocabSize
                ids = try list.map { v throws(APIError) -> Int32 in
                    guard let t = v.intValue, t >= 0, t < vocabulary else {
                        throw .invalid("token id \(RequestFields.show(v)) is outside the vocabulary (0..<\(vocabulary))", param: "prompt")
                    }
                    return Int32(t)
                }
                text = lm.tokenizer.decode(ids, skipSpecial: true)
            } else {
                throw .invalid("prompt \(i) must be a string or a non-empty list of token ids, got \(RequestFields.show(item))", param: "prompt")
            }
            guard !ids.isEmpty else { throw .invalid("prompt \(i) encodes to no tokens", param: "prompt") }
            prompts.append((text, ids))
        }
        return prompts
    }
}

/// The answer to one completions request, built from the session's events.
struct CompletionRun {
    let service: OpenAIService
    let prompts: [(text: String, ids: [Int32])]
    let parameters: GenerationParameters
    let envelope: OpenAIResponses.Envelope

    private func prompt(ofChoice index: Int) -> (text: String, ids: [Int32]) { prompts[index / parameters.n] }

    private func logprobs(forChoice index: Int, promptScores: [TokenLogprob?]) -> CompletionLogprobs {
        let p = prompt(ofChoice: index)
        var logprobs = CompletionLogprobs(tokenizer: service.lm.tokenizer, startOffset: parameters.echo ? 0 : p.text.unicodeScalars.count)
        if parameters.echo {
            for (i, id) in p.ids.enumerated() { logprobs.append(id, i < promptScores.count ? promptScores[i] : nil) }
            logprobs.beginText()
        }
        return logprobs
    }

    func answer(_ session: GenerationSession, _ responder: HTTPResponder) throws(APIError) {
        var results = [GenerationResult?](repeating: nil, count: session.count)
        var scores = [[TokenLogprob?]](repeating: [], count: session.count)
        var promptScores = [[TokenLogprob?]](repeating: [], count: session.count)
        var failure: EngineError?
        let completed = session.forEachEvent(watching: responder) { index, event in
            switch event {
            case .token(_, _, let score): scores[index].append(score)
            case .finished(let result, let prompt):
                results[index] = result
                promptScores[index] = prompt
            case .failed(let error): failure = failure ?? error
            }
            return true
        }
        guard completed else { return }
        if let failure { throw GenerationSession.apiError(failure) }
        var choices: [JSONText] = []
        var completionTokens = 0
        for (index, result) in results.enumerated() {
            guard let result else { continue }
            completionTokens += result.tokens.count
            var logprobsJSON = JSONText.null
            if parameters.logprobs != nil {
                var logprobs = logprobs(forChoice: index, promptScores: promptScores[index])
                for (id, score) in zip(result.tokens, scores[index]) { logprobs.append(id, score) }
                logprobsJSON = logprobs.json
            }
            let text = (parameters.echo ? prompt(ofChoice: index).text : "") + result.text
            choices.append(OpenAIResponses.completionChoice(index: index, text: text, logprobs: logprobsJSON,
                                                            finish: OpenAIResponses.finishReason(result.finishReason)))
        }
        let usage = OpenAIResponses.usage(prompt: prompts.reduce(0) { $0 + $1.ids.count }, completion: completionTokens)
        responder.send(.json(200, OpenAIResponses.completion(envelope, choices: choices, usage: usage)))
    }

    func stream(_ session: GenerationSession, _ responder: HTTPResponder) {
        guard responder.beginStream(status: 200, contentType: "text/event-stream") else { return }
        var perChoice = (0..<session.count).map { logprobs(forChoice: $0, promptScores: []) }
        if parameters.echo {
            for index in 0..<session.count {
                chunk(responder, index, prompt(ofChoice: index).text, .null, finish: nil)
            }
        }
        var completionTokens = 0
        let completed = session.forEachEvent(watching: responder) { index, event in
            switch event {
            case .token(let id, let text, let score):
                completionTokens += 1
                var logprobsJSON = JSONText.null
                if parameters.logprobs != nil {
                    perChoice[index].append(id, score)
                    logprobsJSON = perChoice[index].lastJSON
                } else if text.isEmpty {
                    return true
                }
                return chunk(responder, index, text, logprobsJSON, finish: nil)
            case .finished(let result, _):
                return chunk(responder, index, "", .null, finish: OpenAIResponses.finishReason(result.finishReason))
            case .failed(let error):
                return responder.sendChunk(OpenAIResponses.event(GenerationSession.apiError(error).json))
            }
        }
        guard completed else { return }
        if parameters.includeUsage {
            let usage = OpenAIResponses.usage(prompt: prompts.reduce(0) { $0 + $1.ids.count }, completion: completionTokens)
            responder.sendChunk(OpenAIResponses.event(OpenAIResponses.usageChunk(envelope, object: "text_completion", usage: usage)))
        }
        responder.sendChunk(OpenAIResponses.done)
        responder.endStream()
    }

    @discardableResult
    private func chunk(_ responder: HTTPResponder, _ index: Int, _ text: String, _ logprobs: JSONText, finish: String?) -> Bool {
        let choice = OpenAIResponses.completionChoice(index: index, text: text, logprobs: logprobs, finish: finish)
        return responder.sendChunk(OpenAIResponses.event(OpenAIResponses.completionChunk(envelope, choice: choice)))
    }
}
