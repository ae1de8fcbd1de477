/// Accuracy and precision/recall/F1 of single-label classification, averaged three ways.
///
/// Matches: scikit-learn 1.9.1 `accuracy_score` and `precision_recall_fscore_support` with
/// `average` = `"micro"`, `"macro"`, `"weighted"` and `zero_division="warn"` (which yields 0):
/// * labels = sorted union of the true and predicted labels (`unique_labels`);
/// * per label: precision = tp/(tp+fp), recall = tp/(tp+fn), F1 = 2tp/(2tp+fp+fn), each 0 when its
///   denominator is 0;
/// * macro = unweighted mean over labels; weighted = mean weighted by true support; micro = the
///   same formulas on pooled counts (equal to accuracy for single-label data).
/// The seed (IMHI.py, label_inference.py) reports these ×100 rounded to 2 decimals; this type keeps
/// them as fractions and leaves display to the caller.
public enum Classification {
    /// The full report over parallel true and predicted labels.
    public static func report<Label: Hashable & Comparable & Sendable>(
        trueLabels: [Label], predicted: [Label]
    ) throws -> ClassificationReport<Label> {
        try MetricError.checkPairs(metric: "classification", predictions: predicted.count, references: trueLabels.count)
        let labels = Array(Set(trueLabels).union(predicted)).sorted()
        var counts = Dictionary(uniqueKeysWithValues: labels.map { ($0, ClassCounts()) })
        for (truth, guess) in zip(trueLabels, predicted) {
            counts[truth]?.support += 1
            counts[guess]?.predicted += 1
            if truth == guess { counts[truth]?.truePositives += 1 }
        }
        let perLabel = labels.map { counts[$0, default: ClassCounts()] }
        let pooled = perLabel.reduce(into: ClassCounts()) { sum, next in
            sum.truePositives += next.truePositives
            sum.predicted += next.predicted
            sum.support += next.support
        }
        let scores = perLabel.map(\.scores)
        let supports = perLabel.map { Double($0.support) }
        return ClassificationReport(
            labels: labels,
            perLabel: scores,
            supports: perLabel.map(\.support),
            accuracy: Double(pooled.truePositives) / Double(trueLabels.count),
            micro: pooled.scores,
            macro: PrecisionRecallF1.average(scores, weights: nil),
            weighted: PrecisionRecallF1.average(scores, weights: supports))
    }

    /// Fraction of positions where the prediction equals the truth.
    public static func accuracy<Label: Hashable & Comparable & Sendable>(trueLabels: [Label], predicted: [Label]) throws -> Double {
        try report(trueLabels: trueLabels, predicted: predicted).accuracy
    }

    /// F1 averaged with true-support weights (`f1_score(average="weighted")`).
    public static func weightedF1<Label: Hashable & Comparable & Sendable>(trueLabels: [Label], predicted: [Label]) throws -> Double {
        try report(trueLabels: trueLabels, predicted: predicted).weighted.f1
    }

    /// F1 of pooled counts (`f1_score(average="micro")`).
    public static func microF1<Label: Hashable & Comparable & Sendable>(trueLabels: [Label], predicted: [Label]) throws -> Double {
        try report(trueLabels: trueLabels, predicted: predicted).micro.f1
    }

    /// Unweighted mean of per-label F1 (`f1_score(average="macro")`).
    public static func macroF1<Label: Hashable & Comparable & Sendable>(trueLabels: [Label], predicted: [Label]) throws -> Double {
        try report(trueLabels: trueLabels, predicted: predicted).macro.f1
    }
}

/// Per-label and averaged scores of one classification run.
public struct ClassificationReport<Label: Hashable & Comparable & Sendable>: Sendable, Equatable {
    /// Sorted union of true and predicted labels; `perLabel` and `supports` follow this order.
    public let labels: [Label]
    public let perLabel: [PrecisionRecallF1]
    /// Number of true occurrences of each label.
    public let supports: [Int]
    public let accuracy: Double
    public let micro: PrecisionRecallF1
    public let macro: PrecisionRecallF1
    public let weighted: PrecisionRecallF1
}

/// Precision, recall and F1 of one label or one average.
public struct PrecisionRecallF1: Sendable, Equatable {
    public let precision: Double
    public let recall: Double
    public let f1: Double

    /// `numpy.average` of each component; `weights` nil means the plain mean.
    static func average(_ scores: [PrecisionRecallF1], weights: [Double]?) -> PrecisionRecallF1 {
        let weights = weights ?? Array(repeating: 1, count: scores.count)
        let total = weights.reduce(0, +)
        guard total > 0 else { return PrecisionRecallF1(precision: 0, recall: 0, f1: 0) }
        func mean(_ component: KeyPath<PrecisionRecallF1, Double>) -> Double {
            zip(scores, weights).reduce(0) { $0 + $1.0[keyPath: component] * $1.1 } / total
        }
        return PrecisionRecallF1(precision: mean(\.precision), recall: mean(\.recall), f1: mean(\.f1))
    }
}

/// Confusion counts of one label (or pooled over all labels).
private struct ClassCounts {
    var truePositives = 0
    var predicted = 0
    var support = 0

    var scores: PrecisionRecallF1 {
        func ratio(_ numerator: Int, _ denominator: Int) -> Double {
            denominator > 0 ? Double(numerator) / Double(denominator) : 0
        }
        return PrecisionRecallF1(
            precision: ratio(truePositives, predicted),
            recall: ratio(truePositives, support),
            f1: ratio(2 * truePositives, support + predicted))
    }
}
