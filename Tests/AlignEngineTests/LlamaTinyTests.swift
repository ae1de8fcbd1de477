import Foundation
import Testing
@testable import AlignEngine

/// A random 2-layer GQA LLaMA (`scripts/fixtures/gguf_tiny.py`) against transformers'
/// LlamaForCausalLM on the same dequantized weights, in both layouts: llama.cpp names with
/// permuted Q/K (interleaved rope) and transformers names (rotate-half). `.exact` precision: the
/// reference is fp32.
@Suite(.serialized)
struct LlamaTinyTests {
    struct Reference: Decodable {
        let prompt: [Int32]
        let logits: [[Float]]
        let greedy: [Int32]
    }

    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: LlamaTestModel.fixtureURL("tiny_llama.json")))
    }

    static func ggufModel() throws -> LlamaModel {
        try LlamaModel.load(store: GGUFFile(path: LlamaTestModel.fixtureURL("tiny_llama.gguf").path), precision: .exact)
    }

    static func hfModel() throws -> LlamaModel {
        let config = LlamaConfig(vocabSize: 96, hiddenSize: 64, intermediateSize: 128, layerCount: 2, headCount: 4,
                                 kvHeadCount: 2, ropeTheta: 10_000, rmsEpsilon: 1e-5, maxPositions: 128, ropeStyle: .halves)
        return try LlamaModel.load(store: GGUFFile(path: LlamaTestModel.fixtureURL("tiny_llama_hf.gguf").path), config: config,
                                  precision: .exact)
    }

    @Test(arguments: ["gguf", "hf"])
    func logitsAtEveryPositionMatchTransformers(layout: String) throws {
        let ref = try Self.reference()
        let model = layout == "gguf" ? try Self.ggufModel() : try Self.hfModel()
        #expect(model.config.ropeStyle == (layout == "gguf" ? .interleaved : .halves))
        let logits = try model.forward([.init(tokens: ref.prompt, cache: model.makeCache(), allLogits: true)])[0]
        let v = model.config.vocabSize
        var worst: Float = 0
        for (p, row) in ref.logits.enumerated() {
            for t in 0..<v { worst = max(worst, abs(logits[p * v + t] - row[t])) }
        }
        #expect(worst < 1e-4, "largest logit difference \(worst)")
    }

    @Test func greedyContinuationMatchesTransformers() throws {
        let ref = try Self.reference()
        let generator = Generator(model: try Self.ggufModel(), codec: nil)
        let result = try generator.generate([GenerationRequest(prompt: .tokens(ref.prompt), maxTokens: ref.greedy.count)])[0]
        #expect(result.tokens == ref.greedy)
        #expect(result.finishReason == .maxTokens)
    }

    @Test func batchingAndChunkingDoNotChangeLogits() throws {
        let model = try Self.ggufModel()
        let a: [Int32] = [1, 5, 17, 33, 60, 2, 9], b: [Int32] = [3, 4, 90]
        let alone = try model.forward([.init(tokens: a, cache: model.makeCache(), allLogits: true)])[0]
        let together = try model.forward([.init(tokens: b, cache: model.makeCache(), allLogits: true),
                                          .init(tokens: a, cache: model.makeCache(), allLogits: true)])
        #expect(together[1] == alone)
        model.maxBatchRows = 3
        defer { model.maxBatchRows = 512 }
        let chunked = try model.forward([.init(tokens: a, cache: model.makeCache(), allLogits: true)])[0]
        #expect(chunked == alone)
        let cache = model.makeCache()
        var stepwise: [Float] = []
        for t in a { stepwise += try model.forward(tokens: [t], cache: cache) }
        #expect(stepwise == alone)
    }

    @Test func badInputsAreErrors() throws {
        let model = try Self.ggufModel()
        #expect(throws: EngineError.self) { try model.forward(tokens: [96], cache: model.makeCache()) }
        #expect(throws: EngineError.self) { try model.forward(tokens: [-1], cache: model.makeCache()) }
        #expect(throws: EngineError.self) { try model.forward(tokens: [Int32](repeating: 1, count: 129), cache: model.makeCache()) }
        #expect(throws: EngineError.self) { try LlamaModel.load(store: GGUFFile(path: GGUFFormatTests.path)) }
    }

    @Test func logProbabilityUsesTheNextTokenLogits() throws {
        let ref = try Self.reference()
        let model = try Self.ggufModel()
        let context = Array(ref.prompt.prefix(3)), continuation = Array(ref.prompt.dropFirst(3))
        let lp = try model.logProbability(context: context, continuation: continuation)
        var want = 0.0
        for (i, token) in continuation.enumerated() {
            let row = ref.logits[2 + i].map(Double.init)
            let mx = row.max()!
            want += row[Int(token)] - mx - log(row.map { exp($0 - mx) }.reduce(0, +))
        }
        #expect(abs(lp.total - want) < 1e-3)
        #expect(abs(lp.mean - want / Double(continuation.count)) < 1e-3)
        #expect(lp.tokens.count == continuation.count)
    }
}
