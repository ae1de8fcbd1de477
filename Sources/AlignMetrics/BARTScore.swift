/// BARTScore: how likely a sequence-to-sequence model finds the reference given the prediction.
///
/// Matches: BARTScore (neulab/BARTScore@248f511, `BARTScorer.score(srcs, tgts)`) as the seed's
/// `score.py --score_method bart_score` calls it (seed-reference A3): source = generated text,
/// target = reference; per pair −(Σ target-token NLL)/(number of target tokens), i.e. the mean
/// log-probability of the scored target tokens; the dataset value is the arithmetic mean over pairs.
/// The seed's model is `facebook/bart-large-cnn` with ParaBank2 weights, truncation at 1024 tokens,
/// target `<s>` and `</s>` scored — all properties of the `SequenceScorer` passed in.
public enum BARTScore {
    public static func score(
        predictions: [String], references: [String], scorer: some SequenceScorer
    ) throws -> LikelihoodScoreResult {
        try LikelihoodScoreResult.collect(metric: "bartscore", pairs: zip(predictions, references), counts: (predictions.count, references.count)) {
            try scorer.targetLogProbabilities(source: $0, target: $1)
        }
    }
}

/// GPTScore with a local causal LM: how likely the model finds the reference after the prediction.
///
/// Direction and normalisation mirror BARTScore's seed call (seed-reference A3, B5): source =
/// prediction (the prefix), target = reference (the scored continuation); per pair the mean natural
/// log-probability of the target tokens; the dataset value is the arithmetic mean over pairs. The
/// seed's `score.py --score_method GPT3_score` (GPTScore, jinlanfu/GPTScore@18b91c3) differs, on
/// purpose: it scored the prediction after the reference on a retired OpenAI completion endpoint,
/// started one character early and dropped the last token, and never reset its running mean between
/// datasets. The prompt layout (e.g. a separator after the prediction) is the scorer's; the runtime's
/// adapter documents its own.
public enum GPTScore {
    public static func score(
        predictions: [String], references: [String], scorer: some SequenceScorer
    ) throws -> LikelihoodScoreResult {
        try LikelihoodScoreResult.collect(metric: "gptscore", pairs: zip(predictions, references), counts: (predictions.count, references.count)) {
            try scorer.targetLogProbabilities(source: $0, target: $1)
        }
    }
}

/// Per-pair mean token log-probabilities and their mean over pairs.
public struct LikelihoodScoreResult: Sendable, Equatable {
    /// Mean log-probability of the scored tokens of each pair (≤ 0).
    public let pairs: [Double]
    /// Arithmetic mean of `pairs` (the seed's per-dataset value).
    public let mean: Double

    static func collect(
        metric: String, pairs: Zip2Sequence<[String], [String]>, counts: (predictions: Int, references: Int),
        logProbabilities: (String, String) throws -> [Double]
    ) throws -> LikelihoodScoreResult {
        try MetricError.checkPairs(metric: metric, predictions: counts.predictions, references: counts.references)
        var scores: [Double] = []
        for (index, (source, target)) in pairs.enumerated() {
            let values = try logProbabilities(source, target)
            guard !values.isEmpty else {
                throw MetricError.invalidModelOutput(metric: metric, item: index, reason: "the scorer returned no target tokens")
            }
            guard values.allSatisfy({ !$0.isNaN && $0 <= 0 }) else {
                throw MetricError.invalidModelOutput(
                    metric: metric, item: index, reason: "the scorer returned a log-probability that is NaN or above 0")
            }
            scores.append(values.reduce(0, +) / Double(values.count))
        }
        return LikelihoodScoreResult(pairs: scores, mean: scores.reduce(0, +) / Double(scores.count))
    }
}
