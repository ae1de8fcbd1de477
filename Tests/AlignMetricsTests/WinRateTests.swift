import Testing
@testable import AlignMetrics

/// Win/tie/loss rates and the Wilson interval against statsmodels 0.15 (win_rate.json).
struct WinRateTests {
    struct Case: Decodable {
        let wins: Int
        let ties: Int
        let losses: Int
        let z: Double
        let winRate: Double
        let seedRatio: Double
        let wilson: [Double]
    }

    struct File: Decodable {
        let cases: [Case]
    }

    @Test func wilsonIntervalMatchesStatsmodels() throws {
        let file = try Fixture.load("win_rate.json", as: File.self)
        #expect(file.cases.count >= 5)
        for item in file.cases {
            let rate = try WinRate(wins: item.wins, ties: item.ties, losses: item.losses, z: item.z)
            let what = "\(item.wins)/\(item.ties)/\(item.losses)"
            Fixture.expectClose(rate.winRate, item.winRate, "\(what) win rate")
            Fixture.expectClose(rate.seedRatio, item.seedRatio, "\(what) seed ratio")
            // statsmodels derives z from alpha through norm.ppf, so allow its round-off.
            Fixture.expectClose(rate.winRateInterval.lowerBound, item.wilson[0], "\(what) low", tolerance: 1e-12)
            Fixture.expectClose(rate.winRateInterval.upperBound, item.wilson[1], "\(what) high", tolerance: 1e-12)
        }
    }

    @Test func verdictsAreTalliedWithTiesApart() throws {
        let rate = try WinRate(verdicts: [.win, .tie, .loss, .win, .tie])
        #expect(rate.wins == 2 && rate.ties == 2 && rate.losses == 1)
        #expect(rate.winRate == 0.4)
        #expect(rate.tieRate == 0.4)
        #expect(rate.seedRatio == 0.8)
    }

    @Test func seedReplyParsing() throws {
        #expect(try WinRate.seedVerdict(reply: "1", evaluatedPosition: 1) == .win)
        #expect(try WinRate.seedVerdict(reply: "Response 2", evaluatedPosition: 1) == .loss)
        #expect(try WinRate.seedVerdict(reply: "Response 2", evaluatedPosition: 2) == .win)
        #expect(try WinRate.seedVerdict(reply: "0", evaluatedPosition: 2) == .tie)
        #expect(try WinRate.seedVerdict(reply: "10", evaluatedPosition: 1) == .win)
        #expect(try WinRate.seedVerdict(reply: "", evaluatedPosition: 2) == .loss)
        #expect(throws: MetricError.self) { try WinRate.seedVerdict(reply: "1", evaluatedPosition: 3) }
    }

    @Test func noJudgementsIsAnError() {
        #expect(throws: MetricError.emptyInput(metric: "win_rate")) { try WinRate(verdicts: []) }
        #expect(throws: MetricError.self) { try WinRate(wins: -1, ties: 0, losses: 2) }
        #expect(throws: MetricError.self) { try WinRate(wins: Int.max, ties: 1, losses: 0) }
        #expect(throws: MetricError.self) { try WinRate(wins: 1, ties: 0, losses: 2, z: 0) }
    }
}
