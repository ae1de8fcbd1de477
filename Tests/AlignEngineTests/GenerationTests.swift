import Synchronization
import Foundation
import Testing
@testable import AlignEngine

/// A codec where token i is the string `pieces[i]`, so text behaviour is testable without a tokenizer.
struct PieceCodec: TextCodec {
    let pieces: [String]
    func encode(_ text: String) -> [Int32] { text.unicodeScalars.compactMap { s in pieces.firstIndex(of: String(s)).map(Int32.init) } }
    func decode(_ ids: [Int32]) -> String { ids.map { pieces[Int($0)] }.joined() }
    var bos: Int32? { nil }
    var eos: Int32? { 0 }
}

struct GenerationTests {
    @Test func xoshiroMatchesTheReferenceAlgorithm() throws {
        // Python port of xoshiro256starstar.c seeded by splitmix64, in gguf_tiny.py's rng fixture.
        let data = try Data(contentsOf: LlamaTestModel.fixtureURL("rng.json"))
        let ref = try JSONDecoder().decode([String: [String]].self, from: data)
        var rng = SeededRandom(seed: 12345)
        let got = (0..<8).map { _ in String(rng.next()) }
        #expect(got == ref["seed_12345"])
    }

    @Test func greedyIsArgmaxAndIgnoresTheSeed() {
        var a = Sampler(settings: .init(temperature: 0, seed: 1)), b = Sampler(settings: .init(temperature: 0, seed: 2))
        let logits: [Float] = [0.1, 3, 2.9, -1]
        #expect(a.next(logits: logits, history: []) == 1)
        #expect(b.next(logits: logits, history: []) == 1)
    }

    @Test func repetitionPenaltyFollowsTransformers() {
        var s = Sampler(settings: .init(temperature: 0, repetitionPenalty: 2))
        // 3.0 / 2 = 1.5 < 2.9, so the repeated token loses; negative scores are multiplied.
        #expect(s.next(logits: [0.1, 3, 2.9, -1], history: [1, 1]) == 2)
        #expect(s.next(logits: [-1, -0.6, -3], history: [1]) == 0)
    }

    @Test func topPTopKAndMinPRestrictTheDraw() {
        let logits: [Float] = [0.5, 0.3, 0.15, 0.05].map { Float(log($0)) }
        func draws(_ settings: SamplerSettings) -> Set<Int32> {
            var s = Sampler(settings: settings)
            return Set((0..<2000).map { _ in s.next(logits: logits, history: []) })
        }
        #expect(draws(.init(temperature: 1, seed: 3)) == [0, 1, 2, 3])
        #expect(draws(.init(temperature: 1, topP: 0.7, seed: 3)) == [0, 1])
        #expect(draws(.init(temperature: 1, topK: 3, seed: 3)) == [0, 1, 2])
        #expect(draws(.init(temperature: 1, minP: 0.25, seed: 3)) == [0, 1, 2])
        #expect(draws(.init(temperature: 1, topK: 1, seed: 3)) == [0])
    }

    @Test func sameSeedSameSamples() {
        let logits: [Float] = (0..<50).map { Float($0 % 7) * 0.3 }
        var a = Sampler(settings: .init(temperature: 0.8, seed: 99)), b = Sampler(settings: .init(temperature: 0.8, seed: 99))
        let xs = (0..<100).map { _ in a.next(logits: logits, history: []) }
        let ys = (0..<100).map { _ in b.next(logits: logits, history: []) }
        #expect(xs == ys)
        #expect(Set(xs).count > 3)
    }

    @Test func nonFiniteLogitsDoNotTrap() {
        var s = Sampler(settings: .init(temperature: 1, topP: 0.5, minP: 0.1, seed: 1))
        let nan = s.next(logits: [.nan, .nan, .nan], history: [])
        let inf = s.next(logits: [1, .infinity, -.infinity], history: [])
        #expect((0..<3).contains(nan))
        #expect((0..<3).contains(inf))
    }

    @Test func invalidSettingsAreErrors() {
        #expect(throws: EngineError.self) { try SamplerSettings(temperature: -1).validate() }
        #expect(throws: EngineError.self) { try SamplerSettings(topP: 0).validate() }
        #expect(throws: EngineError.self) { try SamplerSettings(minP: 2).validate() }
        #expect(throws: EngineError.self) { try SamplerSettings(repetitionPenalty: 0).validate() }
    }

    @Test func stopStringsTrimAndHoldBackPartialMatches() {
        let m = StopStringMatcher(["\nUser:", "END"])
        #expect(m.truncated("hello\nUser: hi") == "hello")
        #expect(m.truncated("a END b \nUser:") == "a ")
        #expect(m.truncated("hello") == nil)
        #expect(m.safePrefixLength("hello\nUs") == 5)
        #expect(m.safePrefixLength("hello EN") == 6)
        #expect(m.safePrefixLength("hello") == 5)
    }

    @Test func streamedTextEqualsFinalTextWithStopStrings() throws {
        let model = try LlamaTinyTests.ggufModel()
        var pieces = ["<eos>"]
        for i in 1..<96 {
            let letter = String(UnicodeScalar(UInt8(97 + i % 26)))
            pieces.append(i % 10 == 0 ? "\n" : letter)
        }
        let codec = PieceCodec(pieces: pieces)
        let generator = Generator(model: model, codec: codec)
        let free = try generator.generate([GenerationRequest(prompt: .tokens([1, 5, 17]), sampler: .init(temperature: 1, seed: 5),
                                                             maxTokens: 20, stopAtEndOfGeneration: false)])[0]
        #expect(free.tokens.count == 20)
        let stop = String(free.text.dropFirst(6).prefix(2))
        var streamed = ""
        let request = GenerationRequest(prompt: .tokens([1, 5, 17]), sampler: .init(temperature: 1, seed: 5),
                                        maxTokens: 20, stopStrings: [stop], stopAtEndOfGeneration: false)
        let results = try generator.generate([request]) { (event: GenerationEvent) in streamed += event.text }
        let result = results[0]
        #expect(result.finishReason == .stopString)
        #expect(!result.text.contains(stop))
        #expect(free.text.hasPrefix(result.text + stop))
        #expect(streamed == result.text)
    }

    /// A caller's stop request ends generation at the next step with `.cancelled`; without one,
    /// the same request runs to its end.
    @Test func generationStopsWhenTheCallerAsks() throws {
        let generator = Generator(model: try LlamaTinyTests.ggufModel(), codec: nil)
        let request = GenerationRequest(prompt: .tokens([1, 5, 17]), sampler: .init(temperature: 0), maxTokens: 20,
                                        stopAtEndOfGeneration: false)
        let checks = Mutex(0)
        var sampled = 0
        let error = #expect(throws: EngineError.self) {
            try Cancellation.whenRequested({ checks.withLock { n in n += 1; return n > 4 } }) { () throws(EngineError) in
                try generator.generate([request]) { _ in sampled += 1 }
            }
        }
        guard case .cancelled = error else { Issue.record("expected .cancelled, got \(String(describing: error))"); return }
        #expect(sampled == 3, "the prompt check and three decode steps ran before the stop")
        let free = try Cancellation.whenRequested({ false }) { () throws(EngineError) in try generator.generate([request]) }
        #expect(free[0].tokens.count == 20)
    }

    @Test func batchedSequencesAreIndependent() throws {
        let generator = Generator(model: try LlamaTinyTests.ggufModel(), codec: nil)
        let requests = [
            GenerationRequest(prompt: .tokens([1, 5, 17, 33]), sampler: .init(temperature: 0.9, topP: 0.9, seed: 1), maxTokens: 12),
            GenerationRequest(prompt: .tokens([7]), sampler: .init(temperature: 0), maxTokens: 5),
            GenerationRequest(prompt: .tokens([2, 2, 2, 9, 11]), sampler: .init(temperature: 1.2, topK: 20, repetitionPenalty: 1.3, seed: 2), maxTokens: 9),
        ]
        let together = try generator.generate(requests)
        for (i, request) in requests.enumerated() {
            #expect(try generator.generate([request])[0] == together[i], "sequence \(i)")
        }
        #expect(together.map(\.tokens.count) == [12, 5, 9])
    }
}
