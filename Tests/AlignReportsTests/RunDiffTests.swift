import AlignRuntime
import Testing
@testable import AlignReports

@Suite struct RunDiffTests {
    static func manifest(n: Int, extra: (String, Value)?, sha: String, script: String, version: String) -> Record {
        var params = Record([("n", .int(n))])
        if let extra { params[extra.0] = extra.1 }
        let models: [Value] = [
            .record(Record([("id", .string("judge")), ("sha256", .string("j1"))])),
            .record(Record([("id", .string("smollm2")), ("sha256", .string(sha))])),
        ]
        return Record([("tool", .string("align")), ("version", .string(version)), ("run", .string("study")),
                       ("script", .record(Record([("path", .string("study.align")), ("text", .string(script))]))),
                       ("params", .record(params)), ("models", .list(models)), ("started", .string("t0"))])
    }

    @Test func paramsModelsSettingsAndScriptChanges() {
        let a = TestRuns.run(manifest: Self.manifest(n: 3, extra: ("old", .int(1)), sha: "aa", script: "let x = 1\nprint(x)\n", version: "0.1.0"),
                             rows: [])
        var mb = Self.manifest(n: 5, extra: ("new", .string("x")), sha: "bb", script: "let x = 2\nprint(x)\n", version: "0.2.0")
        // The same models listed in the other order are not a change.
        if case .list(let models)? = mb["models"] { mb["models"] = .list(models.reversed()) }
        mb["started"] = .string("t1")
        let b = TestRuns.run(manifest: mb, rows: [])
        let diff = RunDiff(a, b)
        let changes = diff.fields.map { "\($0.section) \($0.key) \($0.before.map(RunDiff.show) ?? "∅") \($0.after.map(RunDiff.show) ?? "∅")" }
        #expect(changes == ["params n 3 5", "params old 1 ∅", "params new ∅ \"x\"",
                            "models smollm2.sha256 \"aa\" \"bb\"", "settings version \"0.1.0\" \"0.2.0\""])
        #expect(diff.sources.count == 1)
        #expect(diff.sources.first?.diff == "--- A/study.align\n+++ B/study.align\n@@ -1,2 +1,2 @@\n-let x = 1\n+let x = 2\n print(x)\n")
        let text = diff.text()
        #expect(text.contains("  n: 3 → 5\n"))
        #expect(text.contains("  - old: 1\n"))
        #expect(text.contains("  + new: \"x\"\n"))
        #expect(text.contains("script study.align changed\n--- A/study.align"))
    }

    @Test func aChangedSeedListIsOneChange() {
        let calls = { (seeds: [Int]) -> Record in
            Record([("calls", .list([.record(Record([("model", .string("smollm2")), ("seeds", .list(seeds.map(Value.int)))]))]))])
        }
        let diff = RunDiff(TestRuns.run(manifest: calls(Array(0..<500)), rows: []), TestRuns.run(manifest: calls(Array(1..<501)), rows: []))
        #expect(diff.fields.map(\.key) == ["calls[0].seeds"])
    }

    @Test func sameInputHashesArePairedAndAConstantShiftIsExact() throws {
        let scores = [0.2, 0.9, 0.4, 0.7]
        let rowsA = scores.enumerated().map { ("h\($0.offset)" as String?, Record([("score", .float($0.element))])) }
        // B holds the same inputs in another order, each scored 0.1 higher.
        let rowsB = scores.enumerated().reversed().map { ("h\($0.offset)" as String?, Record([("score", .float($0.element + 0.1))])) }
        let diff = RunDiff(TestRuns.run(rows: rowsA), TestRuns.run(rows: rowsB))
        #expect(diff.pairedRows == 4)
        let score = try #require(diff.metrics.first { $0.name == "score" })
        let interval = try #require(score.interval)
        #expect(abs(score.delta - 0.1) < 1e-12)
        #expect(abs(interval.low - 0.1) < 1e-12 && abs(interval.high - 0.1) < 1e-12)
        #expect(interval.paired)
    }

    @Test func differentInputHashesAreUnpaired() throws {
        let a = TestRuns.run(rows: [("x", Record([("score", .int(1))])), ("y", Record([("score", .int(3))]))])
        let b = TestRuns.run(rows: [("x", Record([("score", .int(2))])), ("z", Record([("score", .int(4))]))])
        let diff = RunDiff(a, b)
        #expect(diff.pairedRows == nil)
        let score = try #require(diff.metrics.first { $0.name == "score" })
        #expect(score.a == 2 && score.b == 3 && score.interval?.paired == false)
        #expect(diff.text().contains("rows unpaired"))
    }

    @Test func winRatesAndSummaryNumbersAreCompared() throws {
        let verdictsA = ["win", "loss", "tie", "loss"], verdictsB = ["win", "win", "tie", "loss"]
        let a = TestRuns.run(summary: Record([("metrics", .record(Record([("bleu", .float(0.25))])))]),
                             rows: verdictsA.map { (nil, Record([("verdict", .string($0))])) })
        let b = TestRuns.run(summary: Record([("metrics", .record(Record([("bleu", .float(0.5))])))]),
                             rows: verdictsB.map { (nil, Record([("verdict", .string($0))])) })
        let diff = RunDiff(a, b)
        let bleu = try #require(diff.metrics.first { $0.name == "metrics.bleu" })
        #expect(bleu.kind == "summary" && bleu.delta == 0.25 && bleu.interval == nil)
        let wins = try #require(diff.metrics.first { $0.name == "verdict" })
        #expect(wins.kind == "win rate" && wins.a == 0.25 && wins.b == 0.5)
    }

    @Test func jsonOutputParsesAndCarriesTheDeltas() throws {
        let a = TestRuns.run(manifest: Record([("params", .record(Record([("n", .int(1))])))]),
                             rows: [("h", Record([("score", .int(1))]))])
        let b = TestRuns.run(manifest: Record([("params", .record(Record([("n", .int(2))])))]),
                             rows: [("h", Record([("score", .int(4))]))])
        let parsed = try JSON.parse(try RunDiff(a, b).json())
        guard case .record(let document) = parsed, case .list(let changes)? = document["changes"],
              case .list(let metrics)? = document["metrics"], case .record(let metric)? = metrics.first else {
            Issue.record("unexpected JSON shape: \(parsed.reprString)")
            return
        }
        #expect(changes.count == 1)
        #expect(metric["name"] == .string("score"))
        #expect(metric["delta"] == .float(3))
        #expect(metric["low"] == .float(3) && metric["high"] == .float(3))
    }
}
