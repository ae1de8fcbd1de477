import RealModule
import Synchronization

/// A token's natural-log probability under the model's raw distribution (before temperature and
/// the other sampler steps), with the most likely alternatives at that position.
public struct TokenLogprob: Sendable, Equatable {
    public struct Alternative: Sendable, Equatable {
        public let token: Int32
        public let logprob: Double
    }

    public let token: Int32
    public let logprob: Double
    /// Best first; empty unless alternatives were asked for.
    public let top: [Alternative]

    /// Scores `token` in one position's `logits`, computing the softmax in f64.
    /// Matches: `LlamaModel.logProbability` (log-softmax of f32 logits in f64).
    static func score(_ logits: ArraySlice<Float>, token: Int32, top k: Int) -> TokenLogprob {
        let mx = Double(logits.max() ?? 0)
        var sum = 0.0
        for x in logits { sum += Double.exp(Double(x) - mx) }
        let logSum = mx + Double.log(sum)
        var best: [Int] = []
        if k > 0 {
            for i in logits.indices {
                guard best.count < k || logits[i] > logits[best[best.count - 1]] else { continue }
                let at = best.firstIndex { logits[i] > logits[$0] } ?? best.count
                best.insert(i, at: at)
                if best.count > k { best.removeLast() }
            }
        }
        let value = Int(token) >= 0 && Int(token) < logits.count ? Double(logits[logits.startIndex + Int(token)]) - logSum : -.infinity
        return TokenLogprob(token: token, logprob: value,
                            top: best.map { Alternative(token: Int32($0 - logits.startIndex), logprob: Double(logits[$0]) - logSum) })
    }
}

/// One request's sequence inside the batch: its KV cache, sampler, stop strings and the text
/// shown so far. Touched only by the scheduler thread, except `cancelled`.
final class BatchedSequence: @unchecked Sendable {
    let id: Int
    let submission: ContinuousBatcher.Submission
    let prompt: [Int32]
    let cache: LlamaKVCache
    let cancelled = Atomic<Bool>(false)
    private let onEvent: (ContinuousBatcher.Event) -> Void
    private var sampler: Sampler
    private let stops: StopStringMatcher
    private(set) var tokens: [Int32] = []
    /// Prompt tokens already in the cache.
    private(set) var prefilled = 0
    /// The logits the next token is drawn from.
    var logits: [Float] = []
    private(set) var isDone = false
    private var text = ""
    private var shown = 0
    private var promptScores: [TokenLogprob?] = []

    init(id: Int, submission: ContinuousBatcher.Submission, model: LlamaModel, codec: any TextCodec,
         onEvent: @escaping (ContinuousBatcher.Event) -> Void) {
        self.id = id
        self.submission = submission
        switch submission.request.prompt {
        case .tokens(let ids): prompt = ids
        case .text(let text): prompt = codec.encode(text)
        }
        cache = model.makeCache()
        sampler = Sampler(settings: submission.request.sampler)
        stops = StopStringMatcher(submission.request.stopStrings)
        self.onEvent = onEvent
    }

    var isPrefilled: Bool { prefilled == prompt.count }

    func emit(_ event: ContinuousBatcher.Event) { onEvent(event) }

    func fail(_ error: any Error) {
        isDone = true
        emit(.failed(error as? EngineError ?? .invalidArgument("\(error)")))
    }

    /// Takes the logits of `count` newly prefilled prompt tokens (every position's when prompt
    /// logprobs were asked for, else the last one's): position p scores prompt token p + 1.
    func absorbPrefill(_ output: [Float], count: Int, vocabulary v: Int, codec: any TextCodec) {
        if submission.promptLogprobs {
            if prefilled == 0 { promptScores.append(nil) }
            for j in 0..<count where prefilled + j + 1 < prompt.count {
                promptScores.append(TokenLogprob.score(output[(j * v)..<((j + 1) * v)], token: prompt[prefilled + j + 1],
                                                       top: submission.sampledLogprobs ?? 0))
            }
            logits = Array(output[((count - 1) * v)..<(count * v)])
        } else {
            logits = output
        }
        prefilled += count
        if isPrefilled && submission.request.maxTokens == 0 { finish(.maxTokens, codec: codec) }
    }

    func finish(_ reason: GenerationResult.FinishReason, codec: any TextCodec) {
        isDone = true
        emit(.finished(GenerationResult(promptTokens: prompt, tokens: tokens, text: text, finishReason: reason),
                       promptLogprobs: promptScores))
    }

    /// Draws the next token from `logits` and reports it (and the end, if it is one).
    func sampleNext(codec: any TextCodec) {
        let token = sampler.next(logits: logits, history: prompt + tokens)
        let score = submission.sampledLogprobs.map { TokenLogprob.score(logits[...], token: token, top: $0) }
        tokens.append(token)
        let (delta, reason) = advance(token, codec: codec)
        emit(.token(id: token, text: delta, logprob: score))
        if let reason { finish(reason, codec: codec) }
    }

    /// Updates the text and stop conditions after `token`; returns the newly showable text.
    /// Matches: `Generator.advance` (same stop rules and hold-back), so results are identical.
    private func advance(_ token: Int32, codec: any TextCodec) -> (String, GenerationResult.FinishReason?) {
        let request = submission.request
        let ends = request.stopTokens.contains(token) || (request.stopAtEndOfGeneration && codec.isEndOfGeneration(token))
        let full = codec.decode(ends ? Array(tokens.dropLast()) : tokens)
        var safe = stops.safePrefixLength(full)
        var reason: GenerationResult.FinishReason?
        if let cut = stops.truncated(full) {
            text = cut
            reason = .stopString
            safe = cut.unicodeScalars.count
        } else {
            text = full
            if ends {
                reason = .endOfGeneration
            } else if tokens.count >= request.maxTokens {
                reason = .maxTokens
            }
            if reason != nil { safe = full.unicodeScalars.count }
        }
        let scalars = Array(text.unicodeScalars)
        let upTo = min(max(safe, shown), scalars.count)
        var delta = String.UnicodeScalarView()
        delta.append(contentsOf: scalars[min(shown, upTo)..<upTo])
        shown = upTo
        return (String(delta), reason)
    }
}
