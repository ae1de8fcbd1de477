/// ROUGE-1, ROUGE-2 and ROUGE-L between predictions and references, averaged over pairs.
///
/// Matches: Google `rouge_score` 0.1.2 `RougeScorer(["rouge1", "rouge2", "rougeL"],
/// use_stemmer=False).score(target=reference, prediction=prediction)`, the scorer behind HF
/// `evaluate` "rouge" and the seed's `score.py --score_method rouge`.
/// * Tokens: Python `str.lower()`, then every run of characters outside `[a-z0-9]` separates tokens
///   (so accented letters and non-Latin scripts vanish, `don't` gives `don` `t`); no stemming.
/// * ROUGE-N: clipped n-gram overlap; precision = overlap / max(1, predicted n-grams), recall =
///   overlap / max(1, reference n-grams); F = 2PR/(P+R), 0 when P+R = 0.
/// * ROUGE-L: longest common subsequence of the token lists; P = LCS/|prediction|,
///   R = LCS/|reference|; all three are 0 when either side has no tokens.
/// The corpus value is the plain mean of the per-pair scores. The seed's `evaluate` call reports the
/// median of 1,000 unseeded bootstrap means instead, which differs from the mean only by resampling
/// noise; `ROUGE.bootstrap` gives a seeded version of that interval.
public enum ROUGE {
    /// `rouge_score`'s default tokenizer.
    public static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in PythonText.lower(text) {
            if (0x61...0x7A).contains(scalar.value) || PythonText.isDigit(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                tokens.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { tokens.append(String(current)) }
        return tokens
    }

    /// The three ROUGE scores of one pair.
    public static func score(prediction: String, reference: String) -> ROUGEPairScore {
        var vocabulary = TokenVocabulary()
        let predicted = vocabulary.encode(tokenize(prediction)), referenced = vocabulary.encode(tokenize(reference))
        var index = NGramIndex()
        let predictedGrams = index.counts(predicted, maxOrder: 2), referencedGrams = index.counts(referenced, maxOrder: 2)
        return ROUGEPairScore(
            rouge1: ngramScore(predictedGrams[0], referencedGrams[0]),
            rouge2: ngramScore(predictedGrams[1], referencedGrams[1]),
            rougeL: longestCommonSubsequenceScore(predicted, referenced))
    }

    /// Per-pair scores and their means over parallel `predictions` and `references`.
    public static func score(predictions: [String], references: [String]) throws -> ROUGEResult {
        try MetricError.checkPairs(metric: "rouge", predictions: predictions.count, references: references.count)
        let pairs = zip(predictions, references).map { score(prediction: $0, reference: $1) }
        return ROUGEResult(pairs: pairs)
    }

    static func ngramScore(_ predicted: NGramCounts, _ referenced: NGramCounts) -> ROUGEScore {
        let overlap = Double(predicted.overlap(with: referenced))
        return ROUGEScore(
            precision: overlap / Double(max(predicted.total, 1)),
            recall: overlap / Double(max(referenced.total, 1)))
    }

    static func longestCommonSubsequenceScore(_ prediction: [Int], _ reference: [Int]) -> ROUGEScore {
        guard !prediction.isEmpty, !reference.isEmpty else { return ROUGEScore(precision: 0, recall: 0) }
        let length = Double(longestCommonSubsequence(reference, prediction))
        return ROUGEScore(precision: length / Double(prediction.count), recall: length / Double(reference.count))
    }

    /// LCS length by the usual dynamic programme, keeping one row at a time.
    static func longestCommonSubsequence(_ first: [Int], _ second: [Int]) -> Int {
        guard !first.isEmpty, !second.isEmpty else { return 0 }
        var previous = Array(repeating: 0, count: second.count + 1)
        var current = previous
        for item in first {
            for column in 1...second.count {
                current[column] = item == second[column - 1]
                    ? previous[column - 1] + 1
                    : max(previous[column], current[column - 1])
            }
            swap(&previous, &current)
        }
        return previous[second.count]
    }
}

/// Precision, recall and F-measure of one ROUGE variant.
public struct ROUGEScore: Sendable, Equatable {
    public let precision: Double
    public let recall: Double
    /// Harmonic mean of precision and recall (`rouge_score.scoring.fmeasure`).
    public let fMeasure: Double

    public init(precision: Double, recall: Double) {
        self.precision = precision
        self.recall = recall
        fMeasure = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }

    init(precision: Double, recall: Double, fMeasure: Double) {
        self.precision = precision
        self.recall = recall
        self.fMeasure = fMeasure
    }
}

/// ROUGE-1, ROUGE-2 and ROUGE-L of one prediction/reference pair.
public struct ROUGEPairScore: Sendable, Equatable {
    public let rouge1: ROUGEScore
    public let rouge2: ROUGEScore
    public let rougeL: ROUGEScore
}

/// Per-pair ROUGE scores and their arithmetic means.
public struct ROUGEResult: Sendable, Equatable {
    public let pairs: [ROUGEPairScore]
    /// Mean of each of P, R and F over pairs (F is averaged, not recomputed from mean P and R).
    public let rouge1: ROUGEScore
    public let rouge2: ROUGEScore
    public let rougeL: ROUGEScore

    init(pairs: [ROUGEPairScore]) {
        self.pairs = pairs
        rouge1 = Self.mean(pairs.map(\.rouge1))
        rouge2 = Self.mean(pairs.map(\.rouge2))
        rougeL = Self.mean(pairs.map(\.rougeL))
    }

    static func mean(_ scores: [ROUGEScore]) -> ROUGEScore {
        let count = Double(max(scores.count, 1))
        return ROUGEScore(
            precision: scores.reduce(0) { $0 + $1.precision } / count,
            recall: scores.reduce(0) { $0 + $1.recall } / count,
            fMeasure: scores.reduce(0) { $0 + $1.fMeasure } / count)
    }
}
