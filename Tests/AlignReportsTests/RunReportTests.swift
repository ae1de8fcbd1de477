import AlignMetrics
import AlignRuntime
import Testing
@testable import AlignReports

@Suite struct RunReportTests {
    static let hostile = "</td></tr></table><script>alert('x')</script><img src=x onerror=alert(1)>"

    /// Run text in every place it can reach the page — params, manifest fields, column names,
    /// group labels, cells — comes out escaped; the page's only script is its own.
    @Test func runTextIsEscapedEverywhere() {
        let manifest = Record([("run", .string("r<1>")), ("params", .record(Record([("p", .string(Self.hostile))]))),
                               ("platform", .string(Self.hostile)),
                               ("script", .record(Record([("path", .string("s.align")), ("text", .string(Self.hostile))])))])
        let rows = (0..<6).map { i in
            (Optional("h\(i)"), Record([("objective", .string(i % 2 == 0 ? Self.hostile : "plain")),
                                        ("score", .int(i)), (Self.hostile, .string(Self.hostile))]))
        }
        let page = RunReport(run: TestRuns.run(manifest: manifest, summary: Record([("note", .string(Self.hostile))]), rows: rows)).html()
        #expect(page.components(separatedBy: "<script").count == 2)
        #expect(!page.contains("<img"))
        #expect(!page.contains("</td></tr></table><script>"))
        #expect(page.contains("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(page.contains("Run r&lt;1&gt;"))
    }

    @Test func winRatesUseWilsonIntervals() throws {
        let verdicts = ["win", "win", "win", "tie", "loss"]
        let rows = verdicts.map { (Optional<String>.none, Record([("verdict", .string($0))])) }
        let page = RunReport(run: TestRuns.run(rows: rows)).html()
        let interval = try WinRate(wins: 3, ties: 1, losses: 1).winRateInterval
        #expect(page.contains("<td class=\"num\">0.6</td>"))
        #expect(page.contains("[\(NumberFormat.short(interval.lowerBound)), \(NumberFormat.short(interval.upperBound))]"))
    }

    @Test func columnsAreClassifiedByValuesAndNames() {
        var rows: [Record] = []
        for i in 0..<8 {
            let dataset: Value = .string(i < 4 ? "DR" : "SAD")
            let verdict: Value = .string(i % 2 == 0 ? "WIN" : "loss")
            rows.append(Record([("dataset", dataset), ("score", .float(Double(i) / 2)), ("judge_outcome", .int(i % 3)),
                                ("text", .string("answer \(i)")), ("verdict", verdict)]))
        }
        let columns = RunColumns(Table(rows: rows))
        #expect(columns.numeric == ["score"])
        #expect(columns.outcomes == ["judge_outcome", "verdict"])
        #expect(columns.groups == ["dataset"])
    }

    @Test func unfinishedRunSaysSo() {
        let page = RunReport(run: TestRuns.run(rows: [])).html()
        #expect(page.contains("not finished"))
        #expect(page.contains("No summary.json"))
        #expect(page.contains("No rows."))
    }

    @Test func sampleIsCappedAndCounted() {
        let rows = (0..<30).map { (Optional("h\($0)"), Record([("i", .int($0))])) }
        let page = RunReport(run: TestRuns.run(rows: rows), sampleSize: 10).html()
        #expect(page.contains("The first 10 of 30 rows"))
        #expect(page.contains("<td class=\"num\">10</td><td class=\"num\">9</td>"))
        #expect(!page.contains("<td class=\"num\">11</td><td class=\"num\">10</td>"))
    }
}
