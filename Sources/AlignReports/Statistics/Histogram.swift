/// Equal-width bin counts of a numeric column.
public struct Histogram: Sendable, Equatable {
    /// `counts.count + 1` ascending bin edges; the last bin includes its right edge.
    public let edges: [Double]
    public let counts: [Int]

    /// At most this many bins, so bars stay wide enough to read.
    static let maximumBins = 20

    /// Integer data with few distinct values gets one bin per integer (a 0–10 rating shows each
    /// score); other data gets Sturges' ⌈log₂ n⌉ + 1 bins, between 5 and `maximumBins`.
    /// Nil for no finite values.
    public init?(_ values: [Double]) {
        let data = values.filter(\.isFinite)
        guard let lo = data.min(), let hi = data.max() else { return nil }
        let integral = data.allSatisfy { $0 == $0.rounded() }
        var bins: Int
        var start = lo, width: Double
        if integral && hi - lo < Double(Self.maximumBins) {
            bins = Int(hi - lo) + 1
            start = lo - 0.5
            width = 1
        } else if lo == hi {
            bins = 1
            start = lo - 0.5
            width = 1
        } else {
            var log2 = 0
            while (1 << log2) < data.count { log2 += 1 }
            bins = min(max(log2 + 1, 5), Self.maximumBins)
            width = (hi - lo) / Double(bins)
        }
        var counts = [Int](repeating: 0, count: bins)
        for v in data {
            let k = Int(((v - start) / width).rounded(.down))
            counts[min(max(k, 0), bins - 1)] += 1
        }
        edges = (0...bins).map { start + Double($0) * width }
        self.counts = counts
    }
}
