import Foundation
import Testing
@testable import AlignEngine

/// The tiny BART of `scripts/fixtures/bart_tiny.py` against transformers, teacher forced.
@Suite struct BartTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/bart").path

    static func ints(_ value: HFJSON?) -> [Int32] { value?.arrayValue?.compactMap { $0.intValue.map(Int32.init) } ?? [] }
    static func floats(_ value: HFJSON?) -> [Float] { value?.arrayValue?.compactMap { $0.doubleValue.map(Float.init) } ?? [] }

    @Test func logitsAndLogLikelihoodsMatchTransformers() throws {
        let model = try BartModel(folder: Self.root + "/model")
        let cases = try HFJSON.read(path: Self.root + "/reference.json")["cases"]?.arrayValue ?? []
        #expect(cases.count == 3)
        for entry in cases {
            let source = Self.ints(entry["source"]), target = Self.ints(entry["target"])
            let logits = try model.logits(source: source, target: target)
            let expected = entry["logits"]?.arrayValue?.map { Self.floats($0) } ?? []
            #expect(logits.count == expected.count)
            for (got, want) in zip(logits, expected) {
                let scale = want.map(abs).max() ?? 1
                let worst = zip(got, want).map { abs($0 - $1) }.max() ?? .infinity
                #expect(worst / scale <= 1e-4, "max error \(worst) of \(scale)")
            }
            let ll = try model.tokenLogLikelihoods(source: source, target: target)
            for (got, want) in zip(ll, Self.floats(entry["token_log_likelihoods"])) {
                #expect(abs(got - want) <= 1e-4 * max(1, abs(want)), "\(got) vs \(want)")
            }
            let greedy = try Seq2SeqGeneration.generate(model, source: source, settings: model.decoderSettings, sampler: .greedy, maxTokens: 8)
            #expect(greedy.tokens == Self.ints(entry["greedy"]))
            let loss = -ll.reduce(0, +) / Float(ll.count)
            #expect(abs(loss - Float(entry["loss"]?.doubleValue ?? .nan)) <= 1e-4)
        }
    }

    @Test func badInputsAreErrors() throws {
        let model = try BartModel(folder: Self.root + "/model")
        #expect(errorText { _ = try model.logits(source: [], target: [1]) }.contains("source has 0 tokens"))
        #expect(errorText { _ = try model.logits(source: [0], target: []) }.contains("target has 0 tokens"))
        #expect(errorText { _ = try model.logits(source: [0, 99], target: [1]) }.contains("token id 99"))
        #expect(errorText { _ = try model.logits(source: [0], target: [Int32](repeating: 3, count: 65)) }.contains("1...64"))
    }
}
