/// Greedy and sampled generation for encoder-decoders, one new token per cached decoder step
/// (beam search is `Seq2SeqBeamSearch`).
///
/// Matches: transformers `generate()` for encoder-decoders with `num_beams=1`: decoder inputs start
/// with `decoder_start_token_id`; logits processors `NoRepeatNGram` → `MinLength` → `ForcedBOS` →
/// `ForcedEOS` run before the sampler's own chain (repetition penalty over the decoder inputs,
/// temperature, top-k, top-p, min-p); the end token stays in the output ids.
public enum Seq2SeqGeneration {
    /// Generates from `source` with `network`, under `settings` (start, end and forced tokens,
    /// length rules). `maxTokens` counts generated tokens (`max_new_tokens`).
    public static func generate(_ network: any Seq2SeqNetwork, source: [Int32], settings: Seq2SeqDecoderSettings,
                                sampler samplerSettings: SamplerSettings, maxTokens: Int, stopStrings: [String] = [],
                                codec: (any TextCodec)? = nil) throws(EngineError) -> GenerationResult {
        try samplerSettings.validate()
        guard maxTokens >= 0 else { throw .invalidArgument("max_tokens must be >= 0, got \(maxTokens)") }
        var limit = maxTokens
        if let positions = settings.maxDecoderLength { limit = min(limit, positions - 1) }
        let decoding = try network.startDecoding(source: source)
        var sampler = Sampler(settings: samplerSettings)
        let stops = StopStringMatcher(stopStrings)
        var inputs = [settings.startToken]
        var output: [Int32] = []
        var text = ""
        var finish = GenerationResult.FinishReason.maxTokens
        while output.count < limit {
            try Cancellation.checkpoint()
            var logits = try decoding.advance(inputs[inputs.count - 1])
            constrain(&logits, inputs: inputs, generated: output.count, limit: limit, settings: settings)
            let token = sampler.next(logits: logits, history: inputs)
            output.append(token)
            inputs.append(token)
            let ends = settings.endTokens.contains(token)
            if !stopStrings.isEmpty, let cut = stops.truncated(codec?.decode(ends ? Array(output.dropLast()) : output) ?? "") {
                text = cut
                finish = .stopString
                break
            }
            if ends {
                finish = .endOfGeneration
                break
            }
        }
        if finish != .stopString {
            text = codec?.decode(finish == .endOfGeneration ? Array(output.dropLast()) : output) ?? ""
        }
        return GenerationResult(promptTokens: source, tokens: output, text: text, finishReason: finish)
    }

    /// Applies the length and n-gram rules and the forced tokens to one step's logits (or, in beam
    /// search, log-probabilities: a forced token gets 0, every other one −∞).
    static func constrain(_ logits: inout [Float], inputs: [Int32], generated: Int, limit: Int,
                          settings: Seq2SeqDecoderSettings) {
        let n = settings.noRepeatNgramSize
        if n > 0, inputs.count >= n {
            let prefix = inputs.suffix(n - 1)
            for start in 0...(inputs.count - n) where inputs[start..<(start + n - 1)].elementsEqual(prefix) {
                let banned = Int(inputs[start + n - 1])
                if banned >= 0 && banned < logits.count { logits[banned] = -.infinity }
            }
        }
        if inputs.count < settings.minLength {
            for end in settings.endTokens where end >= 0 && Int(end) < logits.count { logits[Int(end)] = -.infinity }
        }
        var forced: Int32?
        if generated == 0, let first = settings.forcedFirstToken { forced = first }
        if generated == limit - 1, let last = settings.forcedLastToken {
            forced = last
        }
        if let forced, forced >= 0, Int(forced) < logits.count {
            for i in logits.indices where i != Int(forced) { logits[i] = -.infinity }
            logits[Int(forced)] = 0
        }
    }
}
