import RealModule

/// Log-probability of a continuation given a context, for scoring (GPTScore-style metrics,
/// multiple-choice evaluation).
public struct LogProbability: Sendable, Equatable {
    /// Sum of natural-log probabilities of the continuation tokens.
    public var total: Double
    /// `total` divided by the number of continuation tokens.
    public var mean: Double
    /// Per-token log-probabilities, in order.
    public var tokens: [Double]
}

extension LlamaModel {
    /// log p(continuation | context), computing softmax in f64 over each position's f32 logits.
    /// Matches: the usual causal-LM scoring (lm-evaluation-harness `loglikelihood`): the logits
    /// at position i score token i + 1.
    public func logProbability(context: [Int32], continuation: [Int32]) throws(EngineError) -> LogProbability {
        guard !context.isEmpty else { throw .invalidArgument("logprob needs a non-empty context (e.g. the BOS token)") }
        guard !continuation.isEmpty else { throw .invalidArgument("logprob needs a non-empty continuation") }
        let cache = makeCache()
        if context.count > 1 { _ = try forward([Input(tokens: Array(context.dropLast()), cache: cache)]) }
        let input = Input(tokens: [context[context.count - 1]] + continuation.dropLast(), cache: cache, allLogits: true)
        let logits = try forward([input])[0]
        let v = config.vocabSize
        var scores: [Double] = []
        for (i, token) in continuation.enumerated() {
            let row = logits[(i * v)..<((i + 1) * v)]
            let mx = Double(row.max() ?? 0)
            var sum = 0.0
            for x in row { sum += Double.exp(Double(x) - mx) }
            scores.append(Double(row[row.startIndex + Int(token)]) - mx - Double.log(sum))
        }
        let total = scores.reduce(0, +)
        return LogProbability(total: total, mean: total / Double(scores.count), tokens: scores)
    }
}
