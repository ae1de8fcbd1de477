import AlignEngine

/// Remote `generate`, `chat` and `align` through the result cache and the call log, as local
/// calls go: the identity is the endpoint URL and served name (there are no weights to hash), the
/// prompt is the text or messages as sent, and every sent sampler setting is part of the key.
/// A seed is always sent, so sampled remote calls are cacheable like local ones.
extension ModelCallLog {
    /// Completions for `prompts`, computing only cache misses (`concurrency` at a time).
    func remoteCompletions(_ call: BuiltinCall, _ client: OpenAIClient, _ prompts: [String],
                           sampling: RemoteSampling) throws -> [String] {
        let requests = prompts.map { Self.remoteRequest(client, route: "completions", prompt: $0, sampling: sampling) }
        return try results(requests) { missing in
            let sent = missing.map { prompts[$0] }
            let answers = try call.remote { () throws(RemoteError) in try client.complete(sent, sampling: sampling) }
            return answers.map { ModelCallResult(text: $0.text, tokens: $0.completionTokens ?? 0) }
        }.map(\.text)
    }

    /// Chat completions for `conversations`, computing only cache misses.
    func remoteChat(_ call: BuiltinCall, _ client: OpenAIClient, _ conversations: [[ChatMessage]],
                    sampling: RemoteSampling) throws -> [String] {
        let requests = conversations.map { messages in
            let prompt = messages.map { "\($0.role.utf8.count):\($0.role)\($0.content.utf8.count):\($0.content)" }.joined(separator: "\n")
            return Self.remoteRequest(client, route: "chat/completions", prompt: prompt, sampling: sampling)
        }
        return try results(requests) { missing in
            let sent = missing.map { conversations[$0] }
            let answers = try call.remote { () throws(RemoteError) in try client.chat(sent, sampling: sampling) }
            return answers.map { ModelCallResult(text: $0.text, tokens: $0.completionTokens ?? 0) }
        }.map(\.text)
    }

    /// One call's record: the route tells completions from chat in the key; a greedy call's seed
    /// is left out of the key since it cannot change the output.
    static func remoteRequest(_ client: OpenAIClient, route: String, prompt: String, sampling: RemoteSampling) -> ModelCallRequest {
        let e = client.endpoint
        var settings = sampling.manifest
        settings.removeValue(forKey: "seed")
        settings.removeValue(forKey: "max_tokens")
        settings.removeValue(forKey: "stop")
        settings["route"] = route
        return ModelCallRequest(model: ModelIdentity(id: e.modelName, backend: "openai", location: e.baseURL, digest: nil),
                                prompt: prompt, sampler: settings, seed: sampling.temperature == 0 ? nil : sampling.seed,
                                maxTokens: sampling.maxTokens, stop: sampling.stop, cacheable: true)
    }
}
