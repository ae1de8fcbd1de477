import AlignMetrics
import AlignRuntime

/// One number compared between two runs: B's value minus A's, with a bootstrap interval when it
/// is a mean over rows.
public struct MetricDelta: Sendable {
    public let name: String
    /// `summary` (a number in summary.json), `mean` (of a numeric output column) or `win rate`
    /// (share of wins in an outcome column).
    public let kind: String
    public let a: Double
    public let b: Double
    /// Rows the value was computed over, for row metrics.
    public let countA: Int?
    public let countB: Int?
    public let interval: BootstrapInterval?

    public var delta: Double { b - a }
}

extension RunDiff {
    /// Index pairs of rows with the same input hash, when every row of both runs has a partner;
    /// otherwise nil and rows are compared unpaired.
    static func pairing(_ a: RecordedRun, _ b: RecordedRun) -> [(Int, Int)]? {
        guard !a.rows.isEmpty, a.rows.count == b.rows.count else { return nil }
        var positionInB: [String: Int] = [:]
        for (j, row) in b.rows.enumerated() {
            guard let hash = row.inputHash else { return nil }
            positionInB[hash] = j
        }
        var pairs: [(Int, Int)] = []
        for (i, row) in a.rows.enumerated() {
            guard let hash = row.inputHash, let j = positionInB[hash] else { return nil }
            pairs.append((i, j))
        }
        return pairs
    }

    static func metricDeltas(_ a: RecordedRun, _ b: RecordedRun, pairing: [(Int, Int)]?, options: Options) -> [MetricDelta] {
        var out: [MetricDelta] = []
        let summaryB = Dictionary((b.summary?.flattened() ?? []).map { ($0.path, $0.value) }, uniquingKeysWith: { x, _ in x })
        for (path, value) in a.summary?.flattened() ?? [] {
            guard let x = value.numeric, let y = summaryB[path]?.numeric else { continue }
            out.append(MetricDelta(name: path, kind: "summary", a: x, b: y, countA: nil, countB: nil, interval: nil))
        }
        let tableA = a.table, tableB = b.table
        let columnsA = RunColumns(tableA), columnsB = RunColumns(tableB)
        for name in columnsA.numeric where columnsB.numeric.contains(name) {
            guard let xs = tableA.column(name), let ys = tableB.column(name) else { continue }
            if let delta = rowDelta(name: name, kind: "mean", xs.map(\.numeric), ys.map(\.numeric), pairing, options) {
                out.append(delta)
            }
        }
        for name in columnsA.outcomes where columnsB.outcomes.contains(name) {
            guard let xs = tableA.column(name).flatMap({ RunColumns.verdicts($0, column: name) }),
                  let ys = tableB.column(name).flatMap({ RunColumns.verdicts($0, column: name) }) else { continue }
            let wins = { (v: JudgeVerdict?) in v.map { $0 == .win ? 1.0 : 0.0 } }
            if let delta = rowDelta(name: name, kind: "win rate", xs.map(wins), ys.map(wins), pairing, options) {
                out.append(delta)
            }
        }
        return out
    }

    /// Mean of B minus mean of A over the rows holding a number (paired: over pairs where both do).
    private static func rowDelta(name: String, kind: String, _ xs: [Double?], _ ys: [Double?], _ pairing: [(Int, Int)]?,
                                 _ options: Options) -> MetricDelta? {
        let interval: BootstrapInterval?
        let valuesA: [Double], valuesB: [Double]
        if let pairing {
            let pairs = pairing.compactMap { i, j -> (Double, Double)? in
                guard let x = xs[i], let y = ys[j], x.isFinite, y.isFinite else { return nil }
                return (x, y)
            }
            valuesA = pairs.map(\.0)
            valuesB = pairs.map(\.1)
            interval = BootstrapInterval.paired(valuesA, valuesB, confidence: options.confidence,
                                                resamples: options.resamples, seed: options.seed)
        } else {
            valuesA = xs.compactMap { $0 }.filter(\.isFinite)
            valuesB = ys.compactMap { $0 }.filter(\.isFinite)
            interval = BootstrapInterval.unpaired(valuesA, valuesB, confidence: options.confidence,
                                                  resamples: options.resamples, seed: options.seed)
        }
        guard !valuesA.isEmpty, !valuesB.isEmpty else { return nil }
        let mean = { (v: [Double]) in v.reduce(0, +) / Double(v.count) }
        return MetricDelta(name: name, kind: kind, a: mean(valuesA), b: mean(valuesB), countA: valuesA.count,
                           countB: valuesB.count, interval: interval)
    }
}
