import AlignEngine
import AlignMetrics
import AlignSyntax
import Foundation
import Testing
@testable import AlignRuntime

/// The model-based metrics through the language's built-ins against the reference packages:
/// `bert_score` on the installed MiniLM (bertscore_minilm.json) and a PyTorch port of BARTScore's
/// `BARTScorer.score` on a tiny BART (bartscore_tiny.json), both to 1e-5.
/// Fixtures: `scripts/fixtures/bertscore_minilm.py`, `scripts/fixtures/bartscore_tiny.py`.
struct MetricModelTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/metrics").path

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Diagnostic.error("\(name) is not a JSON object", at: nil)
        }
        return object
    }

    static func record(_ v: Value) -> [String: Double] {
        guard case .record(let r) = v else { return [:] }
        var out: [String: Double] = [:]
        for (k, value) in r.pairs { if case .float(let x) = value { out[k] = x } }
        return out
    }

    @Test(.enabled(if: BootstrapModels.shouldRun, "MiniLM not installed (run scripts/bootstrap)"), arguments: [false, true])
    func bertScoreOnMiniLMMatchesTheBertScorePackage(idf: Bool) throws {
        let fixture = try Self.json("bertscore_minilm.json")
        let predictions = fixture["predictions"] as? [String] ?? []
        let references = fixture["references"] as? [String] ?? []
        let expected = fixture[idf ? "idf" : "plain"] as? [String: Any] ?? [:]
        let pairs = expected["pairs"] as? [[Double]] ?? []
        let mean = expected["mean"] as? [Double] ?? []
        #expect(predictions.count == 70 && pairs.count == 70 && mean.count == 3)
        let got = Self.record(try BuiltinHarness.call(
            "bertscore", [.strings(predictions), .strings(references)], ["idf": .bool(idf)]))
        for (k, name) in ["precision", "recall", "f1"].enumerated() {
            #expect(abs((got[name] ?? .nan) - mean[k]) < 1e-5, "\(name): \(got[name] ?? .nan) vs \(mean[k])")
        }
        // Per pair through the same encoder (idf weights need the whole reference corpus).
        guard let encoder = try ModelCache.shared.model("minilm").encoder else {
            Issue.record("minilm is not an encoder")
            return
        }
        let result = try BERTScore.score(predictions: predictions, references: references,
                                         embedder: EncoderTokenEmbedder(encoder: encoder), idf: idf)
        for (i, (triple, want)) in zip(result.pairs, pairs).enumerated() {
            let values = [triple.precision, triple.recall, triple.f1]
            #expect(zip(values, want).allSatisfy { abs($0 - $1) < 1e-5 }, "pair \(i): \(values) vs \(want)")
        }
    }

    @Test func bartScoreOnTinyBARTMatchesBARTScorer() throws {
        let fixture = try Self.json("bartscore_tiny.json")
        let predictions = fixture["predictions"] as? [String] ?? []
        let references = fixture["references"] as? [String] ?? []
        let pairs = fixture["pairs"] as? [Double] ?? []
        let mean = fixture["mean"] as? Double ?? .nan
        #expect(predictions.count == 13 && pairs.count == 13)
        let folder: Value = .string(Self.fixtures + "/bart_tiny")
        guard case .float(let got) = try BuiltinHarness.call(
            "score", [try metric("bartscore"), .strings(predictions), .strings(references), folder]) else {
            Issue.record("score(bartscore, …) is not a number")
            return
        }
        #expect(abs(got - mean) < 1e-5, "mean \(got) vs \(mean)")
        for (i, want) in pairs.enumerated() {
            guard case .float(let one) = try BuiltinHarness.call(
                "bartscore", [.strings([predictions[i]]), .strings([references[i]]), folder]) else {
                Issue.record("bartscore pair \(i) is not a number")
                continue
            }
            #expect(abs(one - want) < 1e-5 * max(1, abs(want)), "pair \(i): \(one) vs \(want)")
        }
    }

    /// GPTScore's documented prompt: the reference's tokens after `prediction + "\n"` (as `logprob`
    /// scores them), per-pair mean log-probability, mean over pairs; the other direction differs.
    @Test(.enabled(if: BootstrapModels.shouldRun, "SmolLM2 not installed (run scripts/bootstrap)"))
    func gptScoreIsTheReferenceAfterThePrediction() throws {
        let predictions = ["Yes. Reasoning: the poster says they feel empty every day.", "No."]
        let references = ["Yes, the poster suffers from depression.", "No, the post shows no sign of stress."]
        let lm = try BuiltinHarness.call("model", [.string("smollm2")])
        var expected = 0.0
        for (p, r) in zip(predictions, references) {
            let one = Self.record(try BuiltinHarness.call("logprob", [lm, .string(p + "\n"), .string(r)]))
            expected += (one["mean"] ?? .nan) / Double(predictions.count)
        }
        guard case .float(let got) = try BuiltinHarness.call("score", [try metric("gptscore"), .strings(predictions), .strings(references)]),
              case .float(let swapped) = try BuiltinHarness.call("gptscore", [.strings(references), .strings(predictions), lm]) else {
            Issue.record("gptscore is not a number")
            return
        }
        #expect(abs(got - expected) < 1e-9, "\(got) vs \(expected)")
        #expect(got < 0 && abs(got - swapped) > 1e-3)
        #expect(BuiltinHarness.failure("gptscore", [.strings(["a"]), .strings([""])]) != nil, "an empty reference has no tokens to score")
    }

    @Test func bartScoreNeedsACheckpointFolder() throws {
        let missing = BuiltinHarness.failure("bartscore", [.strings(["a"]), .strings(["b"])])
        #expect(missing?.message.contains("BART checkpoint folder") == true)
        let wrong = BuiltinHarness.failure("bartscore", [.strings(["a"]), .strings(["b"]), .string("/nonexistent/bart")])
        #expect(wrong != nil)
        let noModel = BuiltinHarness.failure("score", [try metric("bleu"), .strings(["a"]), .strings(["b"]), .string("x")])
        #expect(noModel?.message.contains("takes no model") == true)
    }

    func metric(_ name: String) throws -> Value {
        guard let b = BuiltinHarness.builtin(name) else { throw Diagnostic.error("no metric \(name)", at: nil) }
        return .function(b)
    }
}
