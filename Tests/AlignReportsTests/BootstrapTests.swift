import Testing
@testable import AlignReports

@Suite struct BootstrapTests {
    /// Differences 0 and 1: a resampled mean is 0, 0.5 or 1 with chances ¼, ½, ¼, so the 2.5%
    /// and 97.5% quantiles of 2000 resampled means are 0 and 1.
    @Test func pairedIntervalOfTwoDifferences() throws {
        let interval = try #require(BootstrapInterval.paired([0, 0], [0, 1], resamples: 2000, seed: 7))
        #expect(interval.delta == 0.5)
        #expect(interval.low == 0)
        #expect(interval.high == 1)
        #expect(interval.paired)
    }

    @Test func constantShiftHasAZeroWidthPairedInterval() throws {
        let a = [1.0, 2, 3, 4, 10, -3]
        let interval = try #require(BootstrapInterval.paired(a, a.map { $0 + 0.25 }))
        #expect(interval.delta == 0.25)
        #expect(interval.low == 0.25 && interval.high == 0.25)
    }

    @Test func unpairedConstantsGiveTheirDifference() throws {
        let interval = try #require(BootstrapInterval.unpaired([1, 1, 1], [3, 3]))
        #expect(interval.delta == 2 && interval.low == 2 && interval.high == 2)
        #expect(!interval.paired)
    }

    /// 0…99 against itself shifted by 10: the unpaired interval is about 10 ± 1.96·√2·29/10 ≈ 10 ± 8;
    /// pairing removes the spread between inputs and leaves exactly 10.
    @Test func pairingRemovesBetweenInputSpread() throws {
        let a = (0..<100).map(Double.init), b = a.map { $0 + 10 }
        let unpaired = try #require(BootstrapInterval.unpaired(a, b, seed: 3))
        #expect(unpaired.low > 0 && unpaired.low < 6)
        #expect(unpaired.high > 14 && unpaired.high < 20)
        let paired = try #require(BootstrapInterval.paired(a, b, seed: 3))
        #expect(paired.low == 10 && paired.high == 10)
    }

    @Test func sameSeedSameIntervalOtherSeedOther() throws {
        let a = (0..<30).map { Double($0 * 7 % 13) }, b = (0..<30).map { Double($0 * 5 % 11) }
        let first = try #require(BootstrapInterval.unpaired(a, b, seed: 1))
        #expect(BootstrapInterval.unpaired(a, b, seed: 1) == first)
        #expect(BootstrapInterval.unpaired(a, b, seed: 2) != first)
    }

    @Test func emptyOrMismatchedInputHasNoInterval() {
        #expect(BootstrapInterval.paired([], []) == nil)
        #expect(BootstrapInterval.paired([1], [1, 2]) == nil)
        #expect(BootstrapInterval.unpaired([], [1]) == nil)
        #expect(BootstrapInterval.unpaired([1], [1], resamples: 0) == nil)
    }

    /// numpy: `percentile([1,2,3,4], 25) == 1.75`, `percentile([0,10], 97.5) == 9.75`.
    @Test func quantilesInterpolateLikeNumpy() {
        #expect(Quantile.linear([1, 2, 3, 4], 0.25) == 1.75)
        #expect(Quantile.linear([1, 2, 3, 4], 0.5) == 2.5)
        #expect(Quantile.linear([0, 10], 0.975) == 9.75)
        #expect(Quantile.linear([5], 0.3) == 5)
    }

    @Test func numericSummaryOfASmallColumn() throws {
        let s = try #require(NumericSummary([2, 4, 4, 4, 5, 5, 7, 9]))
        #expect(s.count == 8 && s.mean == 5 && s.median == 4.5 && s.minimum == 2 && s.maximum == 9)
        #expect(abs(s.standardDeviation - (32.0 / 7).squareRoot()) < 1e-12)
        #expect(NumericSummary([]) == nil)
        #expect(NumericSummary([1, .nan]) == nil)
    }

    @Test func histogramOfSmallIntegersHasOneBinPerValue() throws {
        let h = try #require(Histogram([0, 1, 1, 3, 3, 3]))
        #expect(h.counts == [1, 2, 0, 3])
        #expect(h.edges == [-0.5, 0.5, 1.5, 2.5, 3.5])
        let wide = try #require(Histogram((0..<100).map { Double($0) / 10 }))
        #expect(wide.counts.reduce(0, +) == 100)
        #expect(wide.counts.count == 8)
    }
}
