import AlignEngine

/// `generate` and `chat` on this engine, through the result cache and the call log.
extension ModelCallLog {
    /// Generates one text per prompt (computing only cache misses, as one batch). A greedy
    /// call's key leaves the seed out since it cannot change the output; a model whose weights
    /// could not be hashed is never cached.
    func generate(_ call: BuiltinCall, _ lm: CausalLanguageModel, _ prompts: [[Int32]],
                  sampler: SamplerSettings, maxTokens: Int, stop: [String]) throws -> [String] {
        let identity = LocalModelFacts.loaded(lm).map { LocalModelFacts.of($0).identity }
            ?? ModelIdentity(id: lm.model.location, backend: "local", location: lm.model.location, digest: nil)
        var settings = sampler.manifest
        settings.removeValue(forKey: "seed")
        let greedy = sampler.temperature == 0
        let requests = prompts.map { ids in
            ModelCallRequest(model: identity, prompt: ids.map { String($0) }.joined(separator: " "), sampler: settings,
                             seed: greedy ? nil : sampler.seed, maxTokens: maxTokens, stop: stop,
                             cacheable: identity.digest != nil)
        }
        let results = try results(requests) { missing in
            let generated = try call.engine { () throws(EngineError) in
                try lm.generate(missing.map { prompts[$0] }, sampler: [sampler], maxTokens: maxTokens, stop: stop)
            }
            return generated.map { ModelCallResult(text: $0.text, tokens: $0.tokens.count) }
        }
        return results.map(\.text)
    }
}
