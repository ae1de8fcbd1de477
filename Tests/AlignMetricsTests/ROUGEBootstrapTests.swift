import Testing
@testable import AlignMetrics

/// The seeded bootstrap interval: reproducible, ordered, centred on the mean, degenerate when
/// every pair scores the same.
struct ROUGEBootstrapTests {
    static let predictions = [
        "the poster shows signs of depression", "no stress is shown", "work is the cause",
        "the post mentions family issues", "yes the poster is lonely", "nothing here",
    ]
    static let references = [
        "the poster suffers from depression", "the poster does not suffer from stress", "the cause is work",
        "family issues cause the stress", "yes, the poster suffers from loneliness", "no",
    ]

    @Test func sameSeedSameInterval() throws {
        let result = try ROUGE.score(predictions: Self.predictions, references: Self.references)
        let first = try ROUGE.bootstrap(result, samples: 200, seed: 42)
        let second = try ROUGE.bootstrap(result, samples: 200, seed: 42)
        let other = try ROUGE.bootstrap(result, samples: 200, seed: 43)
        #expect(first == second)
        #expect(first != other)
    }

    @Test func intervalIsOrderedAndCoversTheMean() throws {
        let result = try ROUGE.score(predictions: Self.predictions, references: Self.references)
        let interval = try ROUGE.bootstrap(result, samples: 2000, seed: 7)
        for (band, mean) in [(interval.rouge1, result.rouge1), (interval.rouge2, result.rouge2), (interval.rougeL, result.rougeL)] {
            #expect(band.low.fMeasure <= band.mid.fMeasure && band.mid.fMeasure <= band.high.fMeasure)
            #expect(band.low.fMeasure < band.high.fMeasure)
            #expect(band.low.fMeasure <= mean.fMeasure && mean.fMeasure <= band.high.fMeasure)
            #expect(abs(band.mid.fMeasure - mean.fMeasure) < 0.05)
        }
    }

    @Test func identicalPairsGiveAPointInterval() throws {
        let result = try ROUGE.score(predictions: ["a b c", "a b c"], references: ["a b d", "a b d"])
        let interval = try ROUGE.bootstrap(result, samples: 50, seed: 1)
        #expect(interval.rouge1.low == result.rouge1)
        #expect(interval.rouge1.high == result.rouge1)
    }

    @Test func percentileInterpolatesLikeNumPy() {
        #expect(ROUGE.percentile([1, 2, 3, 4], 50) == 2.5)
        #expect(ROUGE.percentile([4, 1, 3, 2], 2.5) == 1.075)
        #expect(ROUGE.percentile([5], 97.5) == 5)
    }

    @Test func badOptionsAreErrors() throws {
        let result = try ROUGE.score(predictions: ["a"], references: ["a"])
        #expect(throws: MetricError.self) { try ROUGE.bootstrap(result, samples: 0, seed: 1) }
        #expect(throws: MetricError.self) { try ROUGE.bootstrap(result, samples: Int.max, seed: 1) }
        #expect(throws: MetricError.self) { try ROUGE.bootstrap(result, confidence: 1, seed: 1) }
    }
}
