import AlignEngine

/// `POST /v1/chat/completions`: the conversation is rendered with the model's own chat template
/// (as in-process `chat` does) and the assistant's reply is generated, whole or streamed.
extension OpenAIService {
    func chatCompletions(_ request: HTTPRequest, _ responder: HTTPResponder) throws(APIError) {
        let f = try RequestFields.parse(request.body)
        let p = try GenerationParameters(f, defaults: lm.defaultSampler(), chat: true)
        try checkModel(p.model)
        let messages = try chatMessages(f)
        let ids: [Int32]
        do {
            ids = try lm.chatTokens(messages)
        } catch {
            throw .invalid("the chat template failed: \(error.description)", param: "messages")
        }
        guard !ids.isEmpty else { throw .invalid("the conversation renders to no tokens", param: "messages") }
        let maxTokens = p.maxTokens ?? max(0, min(limits.maxTokens, batcher.contextLength - ids.count))
        try checkLengths([ids], maxTokens: maxTokens)
        let session = try GenerationSession(batcher: batcher, submissions: try submissions([ids], p, maxTokens: maxTokens, promptLogprobs: false),
                                            streaming: p.stream)
        let envelope = envelope("chatcmpl-")
        if p.stream {
            streamChat(session, responder, envelope, promptTokens: ids.count, includeUsage: p.includeUsage)
            return
        }
        var results = [GenerationResult?](repeating: nil, count: session.count)
        var failure: EngineError?
        let completed = session.forEachEvent(watching: responder) { index, event in
            switch event {
            case .token: break
            case .finished(let result, _): results[index] = result
            case .failed(let error): failure = failure ?? error
            }
            return true
        }
        guard completed else { return }
        if let failure { throw GenerationSession.apiError(failure) }
        let choices = results.enumerated().compactMap { index, result in
            result.map { OpenAIResponses.chatChoice(index: index, content: $0.text, finish: OpenAIResponses.finishReason($0.finishReason)) }
        }
        let usage = OpenAIResponses.usage(prompt: ids.count, completion: results.reduce(0) { $0 + ($1?.tokens.count ?? 0) })
        responder.send(.json(200, OpenAIResponses.chatCompletion(envelope, choices: choices, usage: usage)))
    }

    private func streamChat(_ session: GenerationSession, _ responder: HTTPResponder, _ envelope: OpenAIResponses.Envelope,
                            promptTokens: Int, includeUsage: Bool) {
        guard responder.beginStream(status: 200, contentType: "text/event-stream") else { return }
        func send(_ index: Int, _ delta: [(String, JSONText)], _ finish: String?) -> Bool {
            responder.sendChunk(OpenAIResponses.event(OpenAIResponses.chatChunk(envelope, index: index, delta: delta, finish: finish)))
        }
        for index in 0..<session.count { _ = send(index, [("role", .string("assistant")), ("content", .string(""))], nil) }
        var completionTokens = 0
        let completed = session.forEachEvent(watching: responder) { index, event in
            switch event {
            case .token(_, let text, _):
                completionTokens += 1
                return text.isEmpty || send(index, [("content", .string(text))], nil)
            case .finished(let result, _):
                return send(index, [], OpenAIResponses.finishReason(result.finishReason))
            case .failed(let error):
                return responder.sendChunk(OpenAIResponses.event(GenerationSession.apiError(error).json))
            }
        }
        guard completed else { return }
        if includeUsage {
            let usage = OpenAIResponses.usage(prompt: promptTokens, completion: completionTokens)
            responder.sendChunk(OpenAIResponses.event(OpenAIResponses.usageChunk(envelope, object: "chat.completion.chunk", usage: usage)))
        }
        responder.sendChunk(OpenAIResponses.done)
        responder.endStream()
    }

    /// `messages`: `{role, content}` objects; content is a string or a list of `{type: "text",
    /// text}` parts (joined), as the OpenAI reference allows.
    private func chatMessages(_ f: RequestFields) throws(APIError) -> [ChatMessage] {
        guard let list = f["messages"]?.arrayValue, !list.isEmpty else {
            throw .invalid("`messages` must be a non-empty list of {role, content} objects", param: "messages")
        }
        var messages: [ChatMessage] = []
        for (i, item) in list.enumerated() {
            guard let role = item["role"]?.stringValue else {
                throw .invalid("message \(i) needs a string `role`", param: "messages")
            }
            let content: String
            switch item["content"] {
            case .string(let s)?: content = s
            case .null?, nil: content = ""
            case .array(let parts)?:
                var texts: [String] = []
                for part in parts {
                    guard part["type"]?.stringValue == "text", let text = part["text"]?.stringValue else {
                        throw .invalid("message \(i): only text content parts are supported", param: "messages", code: "unsupported")
                    }
                    texts.append(text)
                }
                content = texts.joined()
            case let other?:
                throw .invalid("message \(i): `content` must be a string or a list of text parts, got \(RequestFields.show(other))", param: "messages")
            }
            messages.append(ChatMessage(role: role, content: content))
        }
        return messages
    }
}
