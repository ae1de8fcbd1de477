import Foundation
import Testing
@testable import AlignEngine

/// Tiny BART (bart-large-cnn decoding rules) and T5 v1.1 checkpoints with tokenizers, from
/// `scripts/fixtures/seq2seq_tiny.py`: cached generation and scoring from text against transformers.
@Suite struct Seq2SeqTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static func cases(_ family: String) throws -> [HFJSON] {
        try HFJSON.read(path: fixtures + "/\(family)/lm_reference.json")["cases"]?.arrayValue ?? []
    }

    /// Feeds `inputs` one token at a time through a cached decoding and compares the logits after
    /// each with transformers' step logits (max error within 1e-4 of the largest magnitude).
    static func expectStepLogits(_ network: any Seq2SeqNetwork, source: [Int32], inputs: [Int32], _ steps: [[Float]]) throws {
        let decoding = try network.startDecoding(source: source)
        for (step, want) in zip(inputs, steps).enumerated() {
            let got = try decoding.advance(want.0)
            let expected = want.1
            #expect(got.count == expected.count)
            let scale = expected.map(abs).max() ?? 1
            let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-4 * scale, "step \(step): max error \(worst) of \(scale)")
        }
    }

    @Test(arguments: ["bart", "t5"])
    func greedyGenerationAndScoringMatchTransformers(family: String) throws {
        let model = try Seq2SeqModel(folder: Self.fixtures + "/\(family)/lm")
        let cases = try Self.cases(family)
        #expect(cases.count == 3)
        for entry in cases {
            let source = entry["source"]?.stringValue ?? ""
            #expect(model.encode(source) == BartTests.ints(entry["source_ids"]))
            let greedy = BartTests.ints(entry["greedy"])
            let result = try model.generate([source], sampler: .greedy, maxTokens: 16, stop: [], beams: 1)
            #expect(result.first?.tokens == greedy)
            #expect(result.first?.text == entry["greedy_text"]?.stringValue)
            let steps = entry["step_logits"]?.arrayValue?.map { BartTests.floats($0) } ?? []
            #expect(steps.count == greedy.count)
            try Self.expectStepLogits(model.network, source: model.encode(source), inputs: [model.settings.startToken] + greedy, steps)

            let target = entry["target"]?.stringValue ?? ""
            #expect(model.encode(target) == BartTests.ints(entry["target_ids"]))
            let scored = try model.logProbability(source: source, target: target)
            let expected = entry["target_log_likelihoods"]?.arrayValue?.compactMap(\.doubleValue) ?? []
            #expect(scored.tokens.count == expected.count)
            for (got, want) in zip(scored.tokens, expected) {
                #expect(abs(got - want) <= 1e-4 * max(1, abs(want)), "\(got) vs \(want)")
            }
            #expect(abs(scored.total - expected.reduce(0, +)) <= 1e-4 * max(1, abs(scored.total)))
        }
    }

    /// bart-large-cnn's rules, read from `generation_config.json` (beam search: `Seq2SeqBeamTests`).
    @Test func decodingRulesComeFromTheGenerationConfig() throws {
        let model = try Seq2SeqModel(folder: Self.fixtures + "/bart/lm")
        #expect(model.settings.forcedFirstToken == 0 && model.settings.forcedLastToken == 2)
        #expect(model.settings.minLength == 6 && model.settings.noRepeatNgramSize == 3 && model.configuredBeams == 4)
        #expect(model.beamDefaults == Seq2SeqBeamSettings(beams: 4))
        #expect(model.settings.startToken == 2 && model.settings.endTokens == [2])
        let t5 = try Seq2SeqModel(folder: Self.fixtures + "/t5/lm")
        #expect(t5.settings.forcedFirstToken == nil && t5.settings.startToken == 0 && t5.settings.endTokens == [1])
    }

    /// The logits processors on their own: n-gram bans, the minimum length and forced tokens.
    @Test func logitsRulesBanRepeatsAndForceTokens() {
        var settings = Seq2SeqDecoderSettings(vocabularySize: 6, startToken: 2, endTokens: [2], forcedFirstToken: 0,
                                              forcedLastToken: 2, maxDecoderLength: nil)
        settings.noRepeatNgramSize = 2
        settings.minLength = 6
        var logits = [Float](repeating: 1, count: 6)
        Seq2SeqGeneration.constrain(&logits, inputs: [2, 0, 4, 3, 4], generated: 4, limit: 10, settings: settings)
        let banned: [Float] = [1, 1, -.infinity, -.infinity, 1, 1]
        #expect(logits == banned)
        logits = [Float](repeating: 1, count: 6)
        Seq2SeqGeneration.constrain(&logits, inputs: [2], generated: 0, limit: 10, settings: settings)
        var first = [Float](repeating: -.infinity, count: 6)
        first[0] = 0
        #expect(logits == first)
        logits = [Float](repeating: 1, count: 6)
        Seq2SeqGeneration.constrain(&logits, inputs: [2, 0, 5, 1, 5, 4], generated: 5, limit: 6, settings: settings)
        var last = [Float](repeating: -.infinity, count: 6)
        last[2] = 0
        #expect(logits == last)
    }

    /// Sampling with top-k 1 is greedy; a seed reproduces a sample; stop strings cut the text.
    @Test func samplingSeedsAndStopStrings() throws {
        let model = try Seq2SeqModel(folder: Self.fixtures + "/t5/lm")
        let entry = try #require(try Self.cases("t5").last)
        let source = entry["source"]?.stringValue ?? ""
        let topOne = try model.generate([source], sampler: SamplerSettings(temperature: 0.8, topK: 1, seed: 3), maxTokens: 16, stop: [])
        #expect(topOne.first?.tokens == BartTests.ints(entry["greedy"]))
        let hot = SamplerSettings(temperature: 5, seed: 11)
        let a = try model.generate([source], sampler: hot, maxTokens: 16, stop: [])
        let b = try model.generate([source], sampler: hot, maxTokens: 16, stop: [])
        #expect(a == b)
        let greedyText = entry["greedy_text"]?.stringValue ?? ""
        let stop = "press"
        let cut = try model.generate([source], sampler: .greedy, maxTokens: 16, stop: [stop])
        #expect(cut.first?.finishReason == .stopString)
        #expect(cut.first?.text == greedyText.components(separatedBy: stop).first)
    }

    @Test func badInputsAreErrors() throws {
        let model = try Seq2SeqModel(folder: Self.fixtures + "/bart/lm")
        let decoding = try model.network.startDecoding(source: [0, 5, 2])
        #expect(errorText { _ = try decoding.advance(320) }.contains("token id 320"))
        #expect(errorText { _ = try model.generate(["x"], sampler: .greedy, maxTokens: -1, stop: []) }.contains("max_tokens"))
        #expect(errorText { _ = try model.logProbability(source: String(repeating: "word ", count: 80), target: "x") }.contains("1...64"))
        // Decoding stops at the position table's end (64 positions) instead of reading past it.
        let long = try model.generate(["Answer: yes."], sampler: SamplerSettings(temperature: 1, seed: 1), maxTokens: 500, stop: [])
        #expect((long.first?.tokens.count ?? 0) <= 63)
        #expect(errorText { _ = try Seq2SeqModel(folder: Self.fixtures + "/bert/sad") }.contains("not an encoder-decoder"))
    }
}
