/// The outcome of one pairwise comparison, from the evaluated response's side.
public enum JudgeVerdict: String, Sendable, Equatable, CaseIterable {
    case win, tie, loss
}

/// Win/tie/loss counts of pairwise judgements with ties kept apart, and a Wilson interval for the
/// win rate.
///
/// The seed (MetaAligner `*_GPT4_score.py`, seed-reference B4) prints a single ratio,
/// (wins + ties) / total, measured against the golden response; `seedRatio` reproduces it, while
/// `winRate` counts wins only so ties stay visible.
/// Matches: statsmodels 0.15 `proportion_confint(wins, total, method="wilson")` with the critical
/// value `z` given directly (default 1.96 rather than statsmodels' exact 1.959963…).
public struct WinRate: Sendable, Equatable {
    public let wins: Int
    public let ties: Int
    public let losses: Int
    /// The critical value the interval was computed with.
    public let z: Double

    public var total: Int { wins + ties + losses }
    public var winRate: Double { Double(wins) / Double(total) }
    public var tieRate: Double { Double(ties) / Double(total) }
    public var lossRate: Double { Double(losses) / Double(total) }
    /// The seed's reported "win rate": ties counted as wins.
    public var seedRatio: Double { Double(wins + ties) / Double(total) }

    /// Wilson score interval of `winRate`: centre (p + z²/2n)/(1 + z²/n), half-width
    /// z·√(p(1−p)/n + z²/4n²)/(1 + z²/n).
    public var winRateInterval: ClosedRange<Double> {
        let n = Double(total), p = winRate, z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let halfWidth = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        return (centre - halfWidth)...(centre + halfWidth)
    }

    /// Counts from explicit numbers; at least one judgement is needed for rates to exist.
    public init(wins: Int, ties: Int, losses: Int, z: Double = 1.96) throws {
        guard wins >= 0, ties >= 0, losses >= 0 else {
            throw MetricError.invalidParameter(metric: "win_rate", name: "counts", reason: "must not be negative")
        }
        let partial = wins.addingReportingOverflow(ties)
        let total = partial.partialValue.addingReportingOverflow(losses)
        guard !partial.overflow, !total.overflow else {
            throw MetricError.invalidParameter(metric: "win_rate", name: "counts", reason: "add up to more than \(Int.max)")
        }
        guard total.partialValue > 0 else { throw MetricError.emptyInput(metric: "win_rate") }
        guard z > 0, z.isFinite else {
            throw MetricError.invalidParameter(metric: "win_rate", name: "z", reason: "must be a positive number, got \(z)")
        }
        self.wins = wins
        self.ties = ties
        self.losses = losses
        self.z = z
    }

    /// Tallies a list of verdicts.
    public init(verdicts: [JudgeVerdict], z: Double = 1.96) throws {
        try self.init(
            wins: verdicts.count { $0 == .win }, ties: verdicts.count { $0 == .tie },
            losses: verdicts.count { $0 == .loss }, z: z)
    }

    /// The seed's reading of a judge reply: a win if the evaluated response's position digit
    /// (`"1"` or `"2"`) occurs anywhere in the reply, else a tie if `"0"` occurs, else a loss.
    /// Plain substring tests, so a reply such as "Response 2 is better than 1" counts as a win for
    /// either position, exactly as in the seed.
    public static func seedVerdict(reply: String, evaluatedPosition: Int) throws -> JudgeVerdict {
        guard evaluatedPosition == 1 || evaluatedPosition == 2 else {
            throw MetricError.invalidParameter(
                metric: "win_rate", name: "evaluatedPosition", reason: "must be 1 or 2, got \(evaluatedPosition)")
        }
        if reply.unicodeScalars.contains(evaluatedPosition == 1 ? "1" : "2") { return .win }
        if reply.unicodeScalars.contains("0") { return .tie }
        return .loss
    }
}
