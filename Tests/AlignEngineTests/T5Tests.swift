import Foundation
import Testing
@testable import AlignEngine

/// Tiny T5 (ReLU, scaled decoder outputs) and T5 v1.1 (gated GELU, unscaled) from
/// `scripts/fixtures/t5_tiny.py`.
@Suite struct T5Tests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/t5").path

    @Test(arguments: ["relu", "gated"])
    func logitsAndLogLikelihoodsMatchTransformers(variant: String) throws {
        let model = try T5Model(folder: Self.root + "/" + variant)
        #expect(model.config.gated == (variant == "gated") && model.config.scaleDecoderOutputs == (variant == "relu"))
        let cases = try HFJSON.read(path: Self.root + "/reference.json")[variant]?.arrayValue ?? []
        #expect(cases.count == 2)
        for entry in cases {
            let source = BartTests.ints(entry["source"]), target = BartTests.ints(entry["target"])
            let logits = try model.logits(source: source, target: target)
            let expected = entry["logits"]?.arrayValue?.map { BartTests.floats($0) } ?? []
            #expect(logits.count == expected.count)
            for (position, (got, want)) in zip(logits, expected).enumerated() {
                let scale = want.map(abs).max() ?? 1
                let worst = zip(got, want).map { abs($0 - $1) }.max() ?? .infinity
                #expect(worst / scale <= 1e-4, "\(variant) position \(position): max error \(worst) of \(scale)")
            }
            let ll = try model.tokenLogLikelihoods(source: source, target: target)
            for (got, want) in zip(ll, BartTests.floats(entry["token_log_likelihoods"])) {
                #expect(abs(got - want) <= 1e-4 * max(1, abs(want)))
            }
        }
    }

    /// Cached greedy decoding: the same ids as transformers `generate(num_beams=1)`, and every
    /// step's raw logits within 1e-4 of the largest.
    @Test(arguments: ["relu", "gated"])
    func greedyGenerationMatchesTransformers(variant: String) throws {
        let model = try T5Model(folder: Self.root + "/" + variant)
        for entry in try HFJSON.read(path: Self.root + "/reference.json")[variant]?.arrayValue ?? [] {
            let source = BartTests.ints(entry["source"]), greedy = BartTests.ints(entry["greedy"])
            let result = try Seq2SeqGeneration.generate(model, source: source, settings: model.decoderSettings, sampler: .greedy,
                                                        maxTokens: 12)
            #expect(result.tokens == greedy)
            let steps = entry["greedy_logits"]?.arrayValue?.map { BartTests.floats($0) } ?? []
            #expect(steps.count == greedy.count)
            try Seq2SeqTests.expectStepLogits(model, source: source, inputs: [model.config.decoderStartToken] + greedy, steps)
        }
    }

    @Test func badInputsAreErrors() throws {
        let model = try T5Model(folder: Self.root + "/relu")
        #expect(errorText { _ = try model.logits(source: [], target: [1]) }.contains("source is empty"))
        #expect(errorText { _ = try model.logits(source: [1], target: [64]) }.contains("token id 64"))
        #expect(errorText { _ = try BartModel(folder: Self.root + "/relu") }.contains("not BART"))
    }
}
