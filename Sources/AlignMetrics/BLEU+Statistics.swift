/// Corpus sufficient statistics of BLEU: clipped n-gram matches and n-gram totals per order, and the
/// summed prediction and reference lengths. The TensorFlow-NMT and sacreBLEU scorers differ only in
/// what they compute from these.
struct BLEUStatistics {
    var matches: [Int]
    var totals: [Int]
    var predictionLength = 0
    var referenceLength = 0

    init(maxOrder: Int) {
        matches = Array(repeating: 0, count: maxOrder)
        totals = Array(repeating: 0, count: maxOrder)
    }

    /// Adds one prediction/reference pair. With one reference per prediction, the "closest reference
    /// length" both references use is simply that reference's length.
    mutating func add(prediction: [Int], reference: [Int], index: inout NGramIndex) {
        predictionLength += prediction.count
        referenceLength += reference.count
        let predicted = index.counts(prediction, maxOrder: matches.count)
        let referenced = index.counts(reference, maxOrder: matches.count)
        for order in 0..<matches.count {
            matches[order] += predicted[order].overlap(with: referenced[order])
            totals[order] += predicted[order].total
        }
    }

    /// Far above any useful n-gram order; bounds the per-order arrays a script can ask for.
    static let maxOrderLimit = 32

    static func collect(
        metric: String, predictions: [String], references: [String], maxOrder: Int,
        tokenize: (String) -> [String]
    ) throws -> BLEUStatistics {
        try MetricError.checkPairs(metric: metric, predictions: predictions.count, references: references.count)
        guard (1...maxOrderLimit).contains(maxOrder) else {
            throw MetricError.invalidParameter(
                metric: metric, name: "maxOrder", reason: "must be between 1 and \(maxOrderLimit), got \(maxOrder)")
        }
        var statistics = BLEUStatistics(maxOrder: maxOrder)
        var vocabulary = TokenVocabulary()
        var index = NGramIndex()
        for (prediction, reference) in zip(predictions, references) {
            statistics.add(
                prediction: vocabulary.encode(tokenize(prediction)), reference: vocabulary.encode(tokenize(reference)),
                index: &index)
        }
        return statistics
    }
}
