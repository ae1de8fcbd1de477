/// A seeded bootstrap confidence interval for mean ROUGE scores.
///
/// Follows `rouge_score.scoring.BootstrapAggregator` (what HF `evaluate` "rouge" uses): draw
/// `samples` resamples of the n pairs with replacement (n indices each), take the mean P, R and F of
/// each resample, and report the `(1 − confidence)/2`, 50th and `(1 + confidence)/2` percentiles of
/// those means with NumPy's default linear interpolation. Differences from the reference: the indices
/// come from `SeededGenerator` (SplitMix64) instead of NumPy's unseeded global RNG, so the interval
/// is reproducible from `seed`, but not equal to any particular NumPy run.
extension ROUGE {
    public static func bootstrap(
        _ result: ROUGEResult, samples: Int = 1000, confidence: Double = 0.95, seed: UInt64
    ) throws -> ROUGEBootstrap {
        guard (1...1_000_000).contains(samples) else {
            throw MetricError.invalidParameter(
                metric: "rouge", name: "samples", reason: "must be between 1 and 1000000, got \(samples)")
        }
        guard confidence > 0, confidence < 1 else {
            throw MetricError.invalidParameter(metric: "rouge", name: "confidence", reason: "must be between 0 and 1, got \(confidence)")
        }
        guard !result.pairs.isEmpty else { throw MetricError.emptyInput(metric: "rouge") }
        var generator = SeededGenerator(seed: seed)
        let count = result.pairs.count
        var means: [[ROUGEScore]] = [[], [], []]
        for _ in 0..<samples {
            var drawn: [ROUGEPairScore] = []
            drawn.reserveCapacity(count)
            for _ in 0..<count { drawn.append(result.pairs[generator.index(below: count)]) }
            means[0].append(ROUGEResult.mean(drawn.map(\.rouge1)))
            means[1].append(ROUGEResult.mean(drawn.map(\.rouge2)))
            means[2].append(ROUGEResult.mean(drawn.map(\.rougeL)))
        }
        let tail = (1 - confidence) / 2 * 100
        let intervals = means.map { scores in
            ROUGEInterval(
                low: percentileScore(scores, tail),
                mid: percentileScore(scores, 50),
                high: percentileScore(scores, 100 - tail))
        }
        return ROUGEBootstrap(rouge1: intervals[0], rouge2: intervals[1], rougeL: intervals[2], samples: samples, seed: seed)
    }

    private static func percentileScore(_ scores: [ROUGEScore], _ percent: Double) -> ROUGEScore {
        ROUGEScore(
            precision: percentile(scores.map(\.precision), percent),
            recall: percentile(scores.map(\.recall), percent),
            fMeasure: percentile(scores.map(\.fMeasure), percent))
    }

    /// NumPy `percentile(method="linear")`: interpolate between the order statistics around
    /// `percent/100 · (n − 1)`.
    static func percentile(_ values: [Double], _ percent: Double) -> Double {
        let sorted = values.sorted()
        guard let last = sorted.last else { return 0 }
        let position = percent / 100 * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        guard below + 1 < sorted.count else { return last }
        let fraction = position - Double(below)
        return sorted[below] + (sorted[below + 1] - sorted[below]) * fraction
    }
}

/// Low, middle and high percentile of the bootstrapped mean of one ROUGE variant.
public struct ROUGEInterval: Sendable, Equatable {
    public let low: ROUGEScore
    public let mid: ROUGEScore
    public let high: ROUGEScore
}

/// Bootstrap intervals of ROUGE-1, ROUGE-2 and ROUGE-L, with what produced them.
public struct ROUGEBootstrap: Sendable, Equatable {
    public let rouge1: ROUGEInterval
    public let rouge2: ROUGEInterval
    public let rougeL: ROUGEInterval
    public let samples: Int
    public let seed: UInt64
}
