import Foundation

/// When beam search stops: transformers' `early_stopping` (True, False, "never").
public enum Seq2SeqEarlyStopping: String, Sendable, Equatable {
    /// `True`: as soon as `beams` hypotheses have finished.
    case whenFull
    /// `False` (the default): when the best running beam, scored at its current length, can no
    /// longer beat the worst of `beams` finished hypotheses.
    case heuristic
    /// `"never"`: as `heuristic`, but a positive length penalty scores the running beam at the
    /// maximum length (the canonical beam search with `length_penalty` 0).
    case never
}

/// Beam-search settings (`generation_config.json`'s `num_beams`, `length_penalty`, `early_stopping`).
public struct Seq2SeqBeamSettings: Sendable, Equatable {
    public var beams: Int
    /// A finished hypothesis scores sum(log p) / generated^lengthPenalty.
    public var lengthPenalty: Double
    public var earlyStopping: Seq2SeqEarlyStopping
    /// Applied to the log-probabilities of tokens already in the decoder inputs (1 = off).
    public var repetitionPenalty: Double

    public init(beams: Int, lengthPenalty: Double = 1, earlyStopping: Seq2SeqEarlyStopping = .heuristic,
                repetitionPenalty: Double = 1) {
        self.beams = beams
        self.lengthPenalty = lengthPenalty
        self.earlyStopping = earlyStopping
        self.repetitionPenalty = repetitionPenalty
    }
}

/// Beam search for encoder-decoders: all beams advance through one batched decoder pass, and the
/// per-beam caches are reordered when beams are selected.
///
/// Matches: transformers 5.23 `GenerationMixin._beam_search` with `do_sample=False`: each step takes
/// `log_softmax(logits)`, runs the logits processors on it (repetition penalty, `NoRepeatNGram`,
/// `MinLength`, `ForcedBOS`, `ForcedEOS`), adds the beam's running score, and keeps the best
/// `max(2, 1 + end tokens) · beams` continuations of all beams. Of those, the ones among the first
/// `beams` that end (an end token, or the length limit) become finished hypotheses scored
/// sum / generated^length_penalty (best `beams` kept); the best `beams` that do not end run on.
/// Stopping follows `_check_early_stop_heuristic` and `_beam_search_has_unfinished_sequences`.
/// The output is the best finished hypothesis and its score (`sequences_scores`).
public enum Seq2SeqBeamSearch {
    public struct Result: Sendable, Equatable {
        public var generation: GenerationResult
        /// The hypothesis' sum of log-probabilities over generated^length_penalty.
        public var score: Double
    }

    struct Hypothesis {
        var inputs: [Int32]
        var score: Double
    }

    struct Candidate {
        var score: Double
        var beam: Int
        var token: Int32

        /// Higher score first; equal scores in (beam, token) order, as a flat top-k would list them.
        func precedes(_ other: Candidate) -> Bool {
            if score != other.score { return score > other.score }
            return beam != other.beam ? beam < other.beam : token < other.token
        }
    }

    /// Searches from `source` under `settings` (start, end and forced tokens, length and n-gram
    /// rules); `maxTokens` counts generated tokens (`max_new_tokens`). Stop strings cut the chosen
    /// hypothesis' text afterwards (they do not steer the search).
    public static func generate(_ network: any Seq2SeqNetwork, source: [Int32], settings: Seq2SeqDecoderSettings,
                                beam: Seq2SeqBeamSettings, maxTokens: Int, stopStrings: [String] = [],
                                codec: (any TextCodec)? = nil) throws(EngineError) -> Result {
        guard beam.beams >= 1 else { throw .invalidArgument("beams must be >= 1, got \(beam.beams)") }
        guard maxTokens >= 0 else { throw .invalidArgument("max_tokens must be >= 0, got \(maxTokens)") }
        guard beam.lengthPenalty.isFinite, beam.repetitionPenalty.isFinite, beam.repetitionPenalty > 0 else {
            throw .invalidArgument("length_penalty and repetition_penalty must be finite (repetition_penalty > 0)")
        }
        var limit = maxTokens
        if let positions = settings.maxDecoderLength { limit = min(limit, positions - 1) }
        var running = [Hypothesis(inputs: [settings.startToken], score: 0)]
        var finished: [Hypothesis] = []
        if limit > 0 {
            let decoding = try network.startDecoding(source: source)
            try search(decoding, running: &running, finished: &finished, settings: settings, beam: beam, limit: limit)
        }
        let penalty = { (h: Hypothesis) in h.score / pow(Double(max(h.inputs.count - 1, 1)), beam.lengthPenalty) }
        let best = finished.first ?? running.first.map { Hypothesis(inputs: $0.inputs, score: penalty($0)) }
            ?? Hypothesis(inputs: [settings.startToken], score: 0)
        return Result(generation: finish(Array(best.inputs.dropFirst()), source: source, settings: settings,
                                         stopStrings: stopStrings, codec: codec),
                      score: best.score)
    }

    /// The step loop: `running` beams advance until no finished hypothesis can improve.
    private static func search(_ decoding: any Seq2SeqDecoding, running: inout [Hypothesis], finished: inout [Hypothesis],
                               settings: Seq2SeqDecoderSettings, beam: Seq2SeqBeamSettings, limit: Int) throws(EngineError) {
        let width = beam.beams, keep = max(2, 1 + settings.endTokens.count) * width
        var improvable = true
        for generated in 1...limit {
            try Cancellation.checkpoint()
            let rows = try decoding.advance(running.map { $0.inputs[$0.inputs.count - 1] })
            var candidates: [Candidate] = []
            for (b, logits) in rows.enumerated() {
                var scores = logSoftmax(logits)
                penalizeRepeats(&scores, inputs: running[b].inputs, penalty: beam.repetitionPenalty)
                Seq2SeqGeneration.constrain(&scores, inputs: running[b].inputs, generated: generated - 1, limit: limit,
                                            settings: settings)
                candidates += best(scores, base: running[b].score, beam: b, count: keep)
            }
            candidates.sort { $0.precedes($1) }
            let top = candidates.prefix(keep)
            let ends = { (c: Candidate) in settings.endTokens.contains(c.token) || generated >= limit }
            let current = running
            let extend = { (c: Candidate) in Hypothesis(inputs: current[c.beam].inputs + [c.token], score: c.score) }
            let full = beam.earlyStopping == .whenFull && finished.count >= width
            if improvable && !full {
                for c in top.prefix(width) where ends(c) {
                    var h = extend(c)
                    h.score /= pow(Double(generated), beam.lengthPenalty)
                    finished.append(h)
                }
                finished = Array(finished.sorted { $0.score > $1.score }.prefix(width))
            }
            let next = Array(top.filter { !ends($0) }.prefix(width))
            guard !next.isEmpty else { return }
            running = next.map(extend)
            try decoding.select(next.map(\.beam))
            if improvable, finished.count >= width, let worst = finished.last {
                let length = beam.earlyStopping == .never && beam.lengthPenalty > 0 ? limit : generated
                improvable = running[0].score / pow(Double(length), beam.lengthPenalty) > worst.score
            }
            if !improvable || (beam.earlyStopping == .whenFull && finished.count >= width) { return }
        }
    }

    /// log-softmax of one row (f64 sum); NaN logits count as impossible.
    static func logSoftmax(_ logits: [Float]) -> [Float] {
        var top = -Float.infinity
        for x in logits where x > top { top = x }
        guard top.isFinite else { return [Float](repeating: -.infinity, count: logits.count) }
        var sum = 0.0
        for x in logits where x > -.infinity { sum += exp(Double(x - top)) }
        let shift = Double(top) + log(sum)
        return logits.map { $0 > -.infinity ? Float(Double($0) - shift) : -.infinity }
    }

    /// Matches: transformers `RepetitionPenaltyLogitsProcessor` on log-probabilities (a negative
    /// score of a token already in the inputs is multiplied by the penalty, a positive one divided).
    static func penalizeRepeats(_ scores: inout [Float], inputs: [Int32], penalty: Double) {
        guard penalty != 1 else { return }
        let p = Float(penalty)
        for token in Set(inputs) where token >= 0 && Int(token) < scores.count {
            let s = scores[Int(token)]
            scores[Int(token)] = s < 0 ? s * p : s / p
        }
    }

    /// The `count` best continuations of one beam, best first.
    static func best(_ scores: [Float], base: Double, beam: Int, count: Int) -> [Candidate] {
        var top: [Candidate] = []
        for (t, x) in scores.enumerated() where x > -.infinity {
            let c = Candidate(score: base + Double(x), beam: beam, token: Int32(t))
            if top.count == count, let last = top.last, !c.precedes(last) { continue }
            let at = top.firstIndex { c.precedes($0) } ?? top.count
            top.insert(c, at: at)
            if top.count > count { top.removeLast() }
        }
        return top
    }

    /// The chosen hypothesis as a generation result: text without the end token, cut at the first
    /// stop string.
    static func finish(_ tokens: [Int32], source: [Int32], settings: Seq2SeqDecoderSettings, stopStrings: [String],
                       codec: (any TextCodec)?) -> GenerationResult {
        let ended = tokens.last.map { settings.endTokens.contains($0) } ?? false
        var text = codec?.decode(ended ? Array(tokens.dropLast()) : tokens) ?? ""
        var reason: GenerationResult.FinishReason = ended ? .endOfGeneration : .maxTokens
        if !stopStrings.isEmpty, let cut = StopStringMatcher(stopStrings).truncated(text) {
            text = cut
            reason = .stopString
        }
        return GenerationResult(promptTokens: source, tokens: tokens, text: text, finishReason: reason)
    }
}
