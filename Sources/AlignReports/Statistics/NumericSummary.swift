/// Count, mean, spread and range of the numbers in one column (nulls left out).
public struct NumericSummary: Sendable, Equatable {
    public let count: Int
    public let mean: Double
    /// Sample standard deviation (n − 1 in the denominator); 0 for a single value.
    public let standardDeviation: Double
    public let minimum: Double
    public let median: Double
    public let maximum: Double

    /// Nil for an empty list or one holding a NaN or infinity, which have no meaningful summary.
    public init?(_ values: [Double]) {
        guard !values.isEmpty, values.allSatisfy(\.isFinite) else { return nil }
        let sorted = values.sorted()
        let mean = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        count = values.count
        self.mean = mean
        standardDeviation = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : 0
        minimum = sorted[0]
        maximum = sorted[sorted.count - 1]
        median = Quantile.linear(sorted, 0.5)
    }
}

/// Quantiles of sorted data.
enum Quantile {
    /// The `q` quantile (0…1) of non-empty ascending `sorted` data, interpolating linearly
    /// between the two nearest ranks.
    /// Matches: numpy `percentile(x, 100*q)` with the default `method="linear"` (Hyndman & Fan
    /// type 7).
    static func linear(_ sorted: [Double], _ q: Double) -> Double {
        guard sorted.count > 1 else { return sorted.first ?? .nan }
        let position = min(max(q, 0), 1) * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
