import Foundation
import Testing
@testable import AlignEngine

/// Beam search on the tiny BART (bart-large-cnn beam rules) and T5 of `scripts/fixtures/seq2seq_tiny.py`
/// whose end token is likely enough that hypotheses finish at different lengths, against
/// transformers' `generate(num_beams=N)` under several length penalties, early-stopping modes,
/// n-gram rules and beam counts.
@Suite struct Seq2SeqBeamTests {
    static func model(_ family: String) throws -> Seq2SeqModel {
        try Seq2SeqModel(folder: Seq2SeqTests.fixtures + "/\(family)/beam")
    }

    static func cases(_ family: String) throws -> [HFJSON] {
        try HFJSON.read(path: Seq2SeqTests.fixtures + "/\(family)/beam_reference.json")["cases"]?.arrayValue ?? []
    }

    /// The beam settings and decoder rules of one reference case over the checkpoint's own.
    static func settings(_ entry: HFJSON, _ model: Seq2SeqModel) throws -> (Seq2SeqDecoderSettings, Seq2SeqBeamSettings, Int) {
        let options = try #require(entry["options"])
        var rules = model.settings
        rules.noRepeatNgramSize = options["no_repeat_ngram_size"]?.intValue ?? -1
        let early: Seq2SeqEarlyStopping
        if options["early_stopping"]?.stringValue == "never" {
            early = .never
        } else {
            early = try #require(options["early_stopping"]?.boolValue) ? .whenFull : .heuristic
        }
        let beam = Seq2SeqBeamSettings(beams: options["num_beams"]?.intValue ?? 0,
                                       lengthPenalty: options["length_penalty"]?.doubleValue ?? .nan, earlyStopping: early)
        return (rules, beam, options["max_new_tokens"]?.intValue ?? -1)
    }

    /// Same ids as transformers and `sequences_scores` within 1e-4 (relative beyond magnitude 1:
    /// `length_penalty` −1 multiplies a sum of f32 log-probabilities by the length, e.g. −266.47).
    @Test(arguments: ["bart", "t5"])
    func beamSearchMatchesTransformers(family: String) throws {
        let model = try Self.model(family)
        let cases = try Self.cases(family)
        #expect(cases.count == 21)
        var lengths = Set<Int>()
        for entry in cases {
            let source = BartTests.ints(entry["source_ids"])
            #expect(model.encode(entry["source"]?.stringValue ?? "") == source)
            let (rules, beam, maxTokens) = try Self.settings(entry, model)
            let result = try Seq2SeqBeamSearch.generate(model.network, source: source, settings: rules, beam: beam, maxTokens: maxTokens)
            let want = BartTests.ints(entry["tokens"]), score = entry["score"]?.doubleValue ?? .nan
            #expect(result.generation.tokens == want, "\(family) \(beam) no_repeat \(rules.noRepeatNgramSize)")
            #expect(abs(result.score - score) <= 1e-4 * max(1, abs(score)), "\(family) \(beam): score \(result.score) vs \(score)")
            lengths.insert(want.count)
        }
        // The fixture exercises hypotheses that end early as well as ones cut at the limit.
        #expect(lengths.count >= 3)
    }

    /// bart/beam's generation config asks for bart-large-cnn's beams, so plain `generate` runs
    /// them; `beams: 1` is greedy decoding.
    @Test func checkpointBeamSettingsAreTheDefault() throws {
        let model = try Self.model("bart")
        #expect(model.beamDefaults == Seq2SeqBeamSettings(beams: 4, lengthPenalty: 2, earlyStopping: .whenFull))
        let defaults = try Self.cases("bart").prefix(3)
        let outputs = try model.generate(defaults.map { $0["source"]?.stringValue ?? "" }, sampler: .greedy, maxTokens: 20, stop: [])
        #expect(outputs.map(\.tokens) == defaults.map { BartTests.ints($0["tokens"]) })
        #expect(outputs.allSatisfy { $0.finishReason == .endOfGeneration })
        let source = defaults.first?["source"]?.stringValue ?? ""
        let greedy = try Seq2SeqGeneration.generate(model.network, source: model.encode(source), settings: model.settings,
                                                    sampler: .greedy, maxTokens: 20)
        #expect(try model.generate([source], sampler: .greedy, maxTokens: 20, stop: [], beams: 1).first?.tokens == greedy.tokens)
        let t5 = try Self.model("t5")
        #expect(t5.beamDefaults == Seq2SeqBeamSettings(beams: 1))
        let t5Beams = try t5.effectiveBeams(nil, sampler: .greedy)
        #expect(t5Beams == 1)
        let sampledBeams = try model.effectiveBeams(nil, sampler: SamplerSettings(temperature: 0.7))
        #expect(sampledBeams == 1)
    }

    /// Beams advanced through one batched pass after cache reordering give the logits that
    /// separate single-sequence decodings of the same prefixes give.
    @Test(arguments: ["bart", "t5"])
    func batchedBeamStepsMatchSeparateDecodings(family: String) throws {
        let model = try Self.model(family)
        let source = model.encode("He says he feels lonely.")
        let start = model.settings.startToken
        let beams = try model.network.startDecoding(source: source)
        _ = try beams.advance(start)
        try beams.select([0, 0, 0])
        _ = try beams.advance([5, 7, 9])
        try beams.select([2, 0, 2])
        let rows = try beams.advance([11, 12, 13])
        #expect(beams.sequences == 3 && beams.length == 3)
        for (row, prefix) in zip(rows, [[start, 9, 11], [start, 5, 12], [start, 9, 13]] as [[Int32]]) {
            let single = try model.network.startDecoding(source: source)
            var want: [Float] = []
            for token in prefix { want = try single.advance(token) }
            let scale = want.map(abs).max() ?? 1
            let worst = zip(row, want).map { abs($0 - $1) }.max() ?? .infinity
            #expect(row.count == want.count && worst <= 1e-5 * scale, "\(family) \(prefix): \(worst)")
        }
    }

    @Test func badBeamRequestsAreErrors() throws {
        let model = try Self.model("bart")
        #expect(errorText { _ = try model.generate(["x"], sampler: .greedy, maxTokens: 4, stop: [], beams: 0) }.contains("beams must be >= 1"))
        let hot = SamplerSettings(temperature: 0.8, seed: 1)
        #expect(errorText { _ = try model.generate(["x"], sampler: hot, maxTokens: 4, stop: [], beams: 3) }.contains("does not sample"))
        let decoding = try model.network.startDecoding(source: model.encode("x"))
        #expect(errorText { _ = try decoding.advance([0, 2]) }.contains("2 tokens fed to a decoding of 1"))
        #expect(errorText { try decoding.select([1]) }.contains("beam indices [1]"))
        #expect(errorText { try decoding.select([]) }.contains("beam indices []"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("beam-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("generation_config.json").path
        try Data(#"{"num_beams": 4, "early_stopping": "sometimes"}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(errorText { _ = try Seq2SeqModel.beamSettings(HFConfig(path: path)) }.contains("early_stopping"))
        try Data(#"{"num_beams": 3, "early_stopping": "never", "length_penalty": 0.5}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try Seq2SeqModel.beamSettings(HFConfig(path: path)) == Seq2SeqBeamSettings(beams: 3, lengthPenalty: 0.5, earlyStopping: .never))
        // A limit of zero new tokens generates nothing, as transformers' max_new_tokens=0.
        let empty = try Seq2SeqBeamSearch.generate(model.network, source: model.encode("x"), settings: model.settings,
                                                   beam: model.beamDefaults, maxTokens: 0)
        #expect(empty.generation.tokens.isEmpty && empty.score == 0)
    }
}
