import Foundation

/// BERTScore precision, recall and F1 by greedy cosine matching of contextual token embeddings.
///
/// Matches: `bert_score` 0.3.13 `score()` → `bert_cos_score_idf` → `greedy_cos_idf` for one layer,
/// given the embeddings an encoder produced:
/// * every token vector is L2-normalised; similarity = cosine of every prediction token with every
///   reference token, special tokens included as match candidates;
/// * each token's best match is weighted by its idf weight divided by the sum over its sentence,
///   where special tokens weigh 0 and, without idf, every other token weighs 1;
///   P sums over prediction tokens, R over reference tokens, F = 2PR/(P+R);
/// * a side with no non-special token gives P = R = F = 0 (bert_score's empty-sentence rule);
/// * idf (`get_idf_dict` over the references): log((M+1)/(df+1)) with M references and df the number
///   of references containing the id; an id no reference contains gets log(M+1);
/// * optional baseline rescaling (x − b)/(1 − b) applied to P, R and F separately, after F.
/// Differences: sentences are scored one by one, so bert_score's batch padding (which lets a
/// padded zero beat all-negative similarities) never applies; a sentence whose idf weights sum to 0
/// gives 0 where bert_score gives NaN.
public enum BERTScore {
    /// Scores parallel predictions and references with `embedder`.
    public static func score(
        predictions: [String], references: [String], embedder: some TokenEmbedder,
        idf: Bool = false, baseline: BERTScoreTriple? = nil
    ) throws -> BERTScoreResult {
        try MetricError.checkPairs(metric: "bertscore", predictions: predictions.count, references: references.count)
        let predicted = try predictions.map { try embedder.embed($0) }
        let referenced = try references.map { try embedder.embed($0) }
        return try score(predictions: predicted, references: referenced, idf: idf, baseline: baseline)
    }

    /// Scores already-embedded pairs.
    public static func score(
        predictions: [TokenEmbeddings], references: [TokenEmbeddings], idf: Bool = false, baseline: BERTScoreTriple? = nil
    ) throws -> BERTScoreResult {
        try MetricError.checkPairs(metric: "bertscore", predictions: predictions.count, references: references.count)
        let weights = idf ? IDFWeights(references: references) : nil
        var pairs: [BERTScoreTriple] = []
        pairs.reserveCapacity(predictions.count)
        for (index, (prediction, reference)) in zip(predictions, references).enumerated() {
            var triple = try pairScore(prediction: prediction, reference: reference, weights: weights, item: index)
            if let baseline { triple = triple.rescaled(by: baseline) }
            pairs.append(triple)
        }
        return BERTScoreResult(pairs: pairs)
    }

    static func pairScore(
        prediction: TokenEmbeddings, reference: TokenEmbeddings, weights: IDFWeights?, item: Int
    ) throws -> BERTScoreTriple {
        guard prediction.dimension == reference.dimension else {
            throw MetricError.invalidModelOutput(
                metric: "bertscore", item: item,
                reason: "prediction width \(prediction.dimension) differs from reference width \(reference.dimension)")
        }
        let hypothesis = try UnitRows(prediction, item: item)
        let target = try UnitRows(reference, item: item)
        let hypothesisWeights = tokenWeights(prediction, weights)
        let targetWeights = tokenWeights(reference, weights)
        guard prediction.isSpecial.contains(false), reference.isSpecial.contains(false) else {
            return BERTScoreTriple(precision: 0, recall: 0, f1: 0)
        }
        var bestForHypothesis = Array(repeating: -Double.infinity, count: hypothesis.count)
        var bestForTarget = Array(repeating: -Double.infinity, count: target.count)
        for row in 0..<hypothesis.count {
            for column in 0..<target.count {
                let similarity = hypothesis.dot(row, with: target, column)
                bestForHypothesis[row] = max(bestForHypothesis[row], similarity)
                bestForTarget[column] = max(bestForTarget[column], similarity)
            }
        }
        let precision = weightedMean(bestForHypothesis, hypothesisWeights)
        let recall = weightedMean(bestForTarget, targetWeights)
        let f1 = precision + recall != 0 ? 2 * precision * recall / (precision + recall) : 0
        return BERTScoreTriple(precision: precision, recall: recall, f1: f1)
    }

    private static func tokenWeights(_ embeddings: TokenEmbeddings, _ weights: IDFWeights?) -> [Double] {
        zip(embeddings.tokenIDs, embeddings.isSpecial).map { id, special in
            special ? 0 : (weights?.weight(of: id) ?? 1)
        }
    }

    private static func weightedMean(_ values: [Double], _ weights: [Double]) -> Double {
        let total = weights.reduce(0, +)
        guard total != 0 else { return 0 }
        return zip(values, weights).reduce(0) { $0 + $1.0 * ($1.1 / total) }
    }
}

/// `bert_score`'s inverse document frequencies over a reference corpus.
public struct IDFWeights: Sendable, Equatable {
    private let documentFrequency: [Int: Int]
    private let documentCount: Int

    public init(references: [TokenEmbeddings]) {
        var frequency: [Int: Int] = [:]
        for reference in references {
            for id in Set(reference.tokenIDs) { frequency[id, default: 0] += 1 }
        }
        documentFrequency = frequency
        documentCount = references.count
    }

    public func weight(of tokenID: Int) -> Double {
        log(Double(documentCount + 1) / Double(documentFrequency[tokenID, default: 0] + 1))
    }
}

/// BERTScore precision, recall and F1 (also used for a rescaling baseline).
public struct BERTScoreTriple: Sendable, Equatable {
    public let precision: Double
    public let recall: Double
    public let f1: Double

    public init(precision: Double, recall: Double, f1: Double) {
        self.precision = precision
        self.recall = recall
        self.f1 = f1
    }

    func rescaled(by baseline: BERTScoreTriple) -> BERTScoreTriple {
        BERTScoreTriple(
            precision: (precision - baseline.precision) / (1 - baseline.precision),
            recall: (recall - baseline.recall) / (1 - baseline.recall),
            f1: (f1 - baseline.f1) / (1 - baseline.f1))
    }
}

/// Per-pair BERTScores and their means (the seed reports the mean F1).
public struct BERTScoreResult: Sendable, Equatable {
    public let pairs: [BERTScoreTriple]
    public let mean: BERTScoreTriple

    init(pairs: [BERTScoreTriple]) {
        self.pairs = pairs
        let count = Double(max(pairs.count, 1))
        mean = BERTScoreTriple(
            precision: pairs.reduce(0) { $0 + $1.precision } / count,
            recall: pairs.reduce(0) { $0 + $1.recall } / count,
            f1: pairs.reduce(0) { $0 + $1.f1 } / count)
    }
}

/// Token vectors scaled to unit length, in Double so sums do not drift from the reference.
private struct UnitRows {
    let values: [Double]
    let dimension: Int
    var count: Int { values.count / dimension }

    init(_ embeddings: TokenEmbeddings, item: Int) throws {
        dimension = embeddings.dimension
        var values = embeddings.vectors.map(Double.init)
        for row in 0..<embeddings.count {
            let range = (row * dimension)..<((row + 1) * dimension)
            let norm = values[range].reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0, norm.isFinite else {
                throw MetricError.invalidModelOutput(
                    metric: "bertscore", item: item, reason: "token \(row) has a zero or non-finite embedding")
            }
            for index in range { values[index] /= norm }
        }
        self.values = values
    }

    func dot(_ row: Int, with other: UnitRows, _ otherRow: Int) -> Double {
        var sum = 0.0
        let base = row * dimension, otherBase = otherRow * other.dimension
        for offset in 0..<dimension { sum += values[base + offset] * other.values[otherBase + offset] }
        return sum
    }
}
