import AlignEngine
import AlignSyntax

/// `generate` and `logprob` on BART / T5 models: the prompt is the encoder's source text, the
/// output what the decoder generates; `logprob(m, source, target)` scores the target given the
/// source (BARTScore's direction). Options are `generate`'s, plus `beams:` (beam search; the
/// checkpoint's `num_beams` by default).
extension ModelBuiltins {
    /// Index of `beams:`, the option after the shared sampling options.
    static let beamsArgument = 2 + samplingParameters.count

    /// Generates for one source text or a list of them (each on its own), through the result
    /// cache and the call log like causal-LM generation. Without `max_tokens:` the checkpoint's
    /// `max_new_tokens` / `max_length` applies when it sets one, as transformers' `generate`.
    static func seq2seqGenerate(_ call: BuiltinCall, _ loaded: LoadedModel, _ model: Seq2SeqModel) throws -> Value {
        let (sources, isList) = try call.textOrList(1, "prompt")
        let (sampler, requestedMax, stop) = try samplingOptions(call, from: 2) { model.defaultSampler(seed: $0) }
        let maxTokens = try call.optionalInt(2, "max_tokens") == nil ? model.configuredMaxTokens ?? requestedMax : requestedMax
        let requested = try call.optionalInt(beamsArgument, "beams")
        let beams = try call.engine { () throws(EngineError) in try model.effectiveBeams(requested, sampler: sampler) }
        let identity = LocalModelFacts.of(loaded).identity
        var settings = sampler.manifest
        settings.removeValue(forKey: "seed")
        if beams > 1 {
            settings["beams"] = "\(beams)"
            settings["length_penalty"] = "\(model.beamDefaults.lengthPenalty)"
            settings["early_stopping"] = model.beamDefaults.earlyStopping.rawValue
        }
        let greedy = sampler.temperature == 0
        let requests = sources.map { source in
            ModelCallRequest(model: identity, prompt: model.encode(source).map { String($0) }.joined(separator: " "), sampler: settings,
                             seed: greedy ? nil : sampler.seed, maxTokens: maxTokens, stop: stop, cacheable: identity.digest != nil)
        }
        let results = try ModelCallLog.shared.results(requests) { missing in
            let generated = try call.engine { () throws(EngineError) in
                try model.generate(missing.map { sources[$0] }, sampler: sampler, maxTokens: maxTokens, stop: stop, beams: beams)
            }
            return generated.map { ModelCallResult(text: $0.text, tokens: $0.tokens.count) }
        }
        return isList ? .list(results.map { .string($0.text) }) : .string(results.first?.text ?? "")
    }
}

extension BuiltinCall {
    /// Argument `i` when it is a local BART / T5 model (nil for anything else, which the caller
    /// then checks as it always did).
    func seq2seqModel(_ i: Int) -> (loaded: LoadedModel, model: Seq2SeqModel)? {
        guard i < arguments.count, case .handle(let h)? = arguments[i], let m = (h as? ModelHandle)?.model,
              let s = m.seq2seq else { return nil }
        return (m, s)
    }
}
