import AlignMetrics

/// Pairwise-judging helpers that need no model: the seed's reading of a judge reply, seeded
/// position draws, and win-rate tallies with ties apart. `stdlib/judge.align` builds `judge` and
/// `win_rates` from these and the model built-ins.
/// Matches: MetaAligner `HH-RLHF_GPT4_score.py` / `UltraFeedback_GPT4_score.py` /
/// `IMHI_GPT4_score.py` (seed-reference B4) through AlignMetrics `WinRate`.
extension Builtins {
    static var judging: [Builtin] {
        [
            Builtin("judge_position", [.init("seed")],
                    doc: "Where the evaluated answer goes in a judge prompt, 1 or 2, drawn from `seed` (the seed draws it unseeded per row); the same seed always gives the same position. `judge_position(7)`") { call in
                .int(JudgePosition.draw(seed: try call.int(0, "seed")))
            },
            Builtin("judge_verdict", [.init("reply"), .init("position")],
                    doc: "Reads a judge reply as the seed does: \"win\" if the evaluated answer's position digit occurs anywhere in it, else \"tie\" if `0` occurs, else \"loss\". `judge_verdict(\"Response 2\", 2) == \"win\"`") { call in
                let reply = try call.string(0, "reply"), position = try call.int(1, "position")
                guard position == 1 || position == 2 else {
                    throw call.error(argument: 1, "expected position 1 or 2, found \(position)")
                }
                return .string(try call.measuring { try WinRate.seedVerdict(reply: reply, evaluatedPosition: position) }.rawValue)
            },
            Builtin("win_rate", [.init("outcomes"), .init("z", optional: true)],
                    doc: "Tallies judgements (\"win\"/\"tie\"/\"loss\", or `judge` results 1/0/2 meaning first answer better/tie/second better): counts, rates, the seed's ratio (wins + ties) / n, and a Wilson interval `low`–`high` for the win rate. `win_rate([1, 0, 2]).ties == 1`") { call in
                try winRate(call)
            },
        ]
    }

    private static func winRate(_ call: BuiltinCall) throws -> Value {
        let outcomes = try call.list(0, "outcomes")
        var verdicts: [JudgeVerdict] = []
        verdicts.reserveCapacity(outcomes.count)
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .string(let word):
                guard let verdict = JudgeVerdict(rawValue: word) else {
                    throw call.error(argument: 0, "unknown outcome \"\(word)\" at index \(index)",
                                     help: "outcomes are \"win\", \"tie\", \"loss\" or the judge's 1, 0, 2")
                }
                verdicts.append(verdict)
            case .int(1): verdicts.append(.win)
            case .int(0): verdicts.append(.tie)
            case .int(2): verdicts.append(.loss)
            default:
                throw call.error(argument: 0, "unknown outcome \(outcome.reprString) at index \(index)",
                                 help: "outcomes are \"win\", \"tie\", \"loss\" or the judge's 1, 0, 2")
            }
        }
        guard !verdicts.isEmpty else { throw call.error(argument: 0, "`win_rate` needs at least one outcome, got none") }
        var z = 1.96
        if call.arguments.count > 1, let given = call.arguments[1], given != .null { z = try call.number(1, "z") }
        guard z > 0, z.isFinite else { throw call.error(argument: 1, "expected a positive critical value for `z`, found \(Value.formatFloat(z))") }
        let tally = try call.measuring { try WinRate(verdicts: verdicts, z: z) }
        let interval = tally.winRateInterval
        return .record(Record([
            ("n", .int(tally.total)),
            ("wins", .int(tally.wins)),
            ("ties", .int(tally.ties)),
            ("losses", .int(tally.losses)),
            ("win_rate", .float(tally.winRate)),
            ("tie_rate", .float(tally.tieRate)),
            ("loss_rate", .float(tally.lossRate)),
            ("seed_ratio", .float(tally.seedRatio)),
            ("low", .float(interval.lowerBound)),
            ("high", .float(interval.upperBound)),
        ]))
    }
}

/// Seeded choice of the evaluated answer's position, one draw per seed so that a row's position
/// does not depend on which other rows were judged (resumed runs, `take(n)` subsets).
enum JudgePosition {
    /// 1 or 2 from the top bit of one SplitMix64 output.
    /// Matches: SplitMix64 (Steele, Lea & Flood 2014; constants as in Vigna's `splitmix64.c`).
    static func draw(seed: Int) -> Int {
        var mixed = UInt64(bitPattern: Int64(seed)) &+ 0x9E37_79B9_7F4A_7C15
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        mixed ^= mixed >> 31
        return Int(mixed >> 63) + 1
    }
}
