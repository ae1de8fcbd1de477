/// Percentile bootstrap intervals for the change of a mean between two runs.
///
/// Paired: the same inputs were scored in both runs, so pairs are resampled together and the
/// interval is that of the mean per-pair difference — run-to-run noise common to an input
/// cancels. Unpaired: each run's values are resampled on their own and the interval is that of
/// the difference of the two means.
/// Matches: Efron & Tibshirani (1993) §13.3 percentile interval; quantiles as numpy's default.
public struct BootstrapInterval: Sendable, Equatable {
    /// B's mean minus A's mean on the data itself.
    public let delta: Double
    public let low: Double
    public let high: Double
    public let resamples: Int
    public let seed: UInt64
    public let paired: Bool

    /// Paired interval of mean(b − a); `a` and `b` have equal, non-zero length.
    public static func paired(_ a: [Double], _ b: [Double], confidence: Double = 0.95,
                              resamples: Int = 2000, seed: UInt64 = 0) -> BootstrapInterval? {
        guard a.count == b.count, !a.isEmpty, resamples > 0 else { return nil }
        let differences = zip(a, b).map { $1 - $0 }
        var generator = SplitMix64(seed: seed)
        var means: [Double] = []
        means.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var sum = 0.0
            for _ in 0..<differences.count { sum += differences[generator.index(below: differences.count)] }
            means.append(sum / Double(differences.count))
        }
        return make(delta: mean(differences), means, confidence, resamples, seed, paired: true)
    }

    /// Unpaired interval of mean(b) − mean(a); both lists non-empty.
    public static func unpaired(_ a: [Double], _ b: [Double], confidence: Double = 0.95,
                                resamples: Int = 2000, seed: UInt64 = 0) -> BootstrapInterval? {
        guard !a.isEmpty, !b.isEmpty, resamples > 0 else { return nil }
        var generator = SplitMix64(seed: seed)
        var means: [Double] = []
        means.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var sumA = 0.0, sumB = 0.0
            for _ in 0..<a.count { sumA += a[generator.index(below: a.count)] }
            for _ in 0..<b.count { sumB += b[generator.index(below: b.count)] }
            means.append(sumB / Double(b.count) - sumA / Double(a.count))
        }
        return make(delta: mean(b) - mean(a), means, confidence, resamples, seed, paired: false)
    }

    private static func make(delta: Double, _ means: [Double], _ confidence: Double, _ resamples: Int,
                             _ seed: UInt64, paired: Bool) -> BootstrapInterval {
        let sorted = means.sorted()
        let tail = (1 - min(max(confidence, 0), 1)) / 2
        return BootstrapInterval(delta: delta, low: Quantile.linear(sorted, tail), high: Quantile.linear(sorted, 1 - tail),
                                 resamples: resamples, seed: seed, paired: paired)
    }

    private static func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
}
