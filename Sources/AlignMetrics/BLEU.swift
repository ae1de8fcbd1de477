import Foundation

/// Corpus BLEU on a 0–1 scale, as the seed's `score.py --score_method bleu` reports it.
///
/// Matches: HF `evaluate` "bleu" (TensorFlow-NMT `compute_bleu`, `smooth=False`, `max_order=4`)
/// over the sacrebleu 2.6.0 `13a` tokenizer with case kept, one reference per prediction; equal to
/// sacrebleu `corpus_bleu(smooth_method="none", tokenize="13a").score / 100` except that, like
/// `evaluate`, segments are not right-stripped before tokenizing (see `SacreBLEU`).
/// BLEU = BP · exp(Σₙ ¼·log pₙ) where pₙ = clipped n-gram matches / predicted n-grams over the whole
/// corpus, and BP = 1 when the predictions are longer than the references, else exp(1 − 1/ratio).
/// Any pₙ = 0 gives BLEU 0 (no smoothing).
///
/// Degenerate corpora, where `compute_bleu` divides by zero: all predictions empty gives BLEU 0 and
/// BP 0 (sacreBLEU's rule); all references empty gives BLEU 0, BP 1 and a length ratio of 0.
public enum BLEU {
    /// The seed's BLEU over parallel `predictions` and `references`.
    public static func corpus(predictions: [String], references: [String], maxOrder: Int = 4) throws -> BLEUResult {
        let statistics = try BLEUStatistics.collect(
            metric: "bleu", predictions: predictions, references: references, maxOrder: maxOrder,
            tokenize: Tokenizer13a.tokenize)
        return BLEUResult(statistics)
    }
}

/// The result of `BLEU.corpus`, with the intermediate numbers `evaluate` also returns.
public struct BLEUResult: Sendable, Equatable {
    /// Corpus BLEU in 0…1.
    public let score: Double
    /// Modified n-gram precision per order (index 0 = unigrams), 0…1.
    public let precisions: [Double]
    public let brevityPenalty: Double
    /// Prediction length / reference length in tokens (0 when the references are empty).
    public let lengthRatio: Double
    public let predictionLength: Int
    public let referenceLength: Int
    /// Clipped n-gram matches per order.
    public let matches: [Int]
    /// Predicted n-grams per order (the precision denominators).
    public let possibleMatches: [Int]

    init(_ statistics: BLEUStatistics) {
        let precisions = zip(statistics.matches, statistics.totals).map { matched, total in
            total > 0 ? Double(matched) / Double(total) : 0
        }
        let predicted = statistics.predictionLength, referenced = statistics.referenceLength
        let ratio = referenced > 0 ? Double(predicted) / Double(referenced) : 0
        let penalty: Double
        if predicted >= referenced {
            penalty = 1
        } else {
            penalty = predicted > 0 ? exp(1 - 1 / ratio) : 0
        }
        let geometricMean: Double
        if let smallest = precisions.min(), smallest > 0 {
            let weight = 1 / Double(precisions.count)
            geometricMean = exp(precisions.reduce(0) { $0 + weight * log($1) })
        } else {
            geometricMean = 0
        }
        score = geometricMean * penalty
        self.precisions = precisions
        brevityPenalty = penalty
        lengthRatio = ratio
        predictionLength = predicted
        referenceLength = referenced
        matches = statistics.matches
        possibleMatches = statistics.totals
    }
}
