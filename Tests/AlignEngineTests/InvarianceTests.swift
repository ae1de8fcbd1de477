import Testing
@testable import AlignEngine

/// A sequence's greedy output and logits do not depend on the thread count or on the other
/// sequences decoded with it (batch sizes 1, 3 and 8), in both precisions, on SmolLM2.
@Suite(.enabled(if: LlamaTestModel.shouldRun, LlamaTestModel.skipNote), .serialized)
struct InvarianceTests {
    /// Eight prompts of different lengths; the first is the one compared.
    static let prompts: [[Int32]] = (0..<8).map { i in
        let extra: [Int32] = (0..<(i * 3)).map { t in
            let id: Int = (t * 7919 + i * 104_729) % 40_000 + 200
            return Int32(id)
        }
        return [504, 3575, 282, 4649, 314] + extra
    }

    static func model(threads: Int, _ precision: LlamaModel.Precision) throws -> LlamaModel {
        try LlamaModel.load(store: GGUFFile(path: LlamaTestModel.smolLM2Path), pool: WorkerPool(threads: threads),
                            precision: precision)
    }

    static func generate(_ model: LlamaModel, batch: Int) throws -> [Int32] {
        let requests = prompts.prefix(batch).map { GenerationRequest(prompt: .tokens($0), maxTokens: 12) }
        return try Generator(model: model, codec: nil).generate(requests)[0].tokens
    }

    @Test(arguments: LlamaModel.Precision.allCases)
    func greedyOutputIsTheSameForEveryBatchAndThreadCount(precision: LlamaModel.Precision) throws {
        let one = try Self.model(threads: 1, precision), two = try Self.model(threads: 2, precision)
        let alone = try Self.generate(one, batch: 1)
        #expect(alone.count == 12)
        for model in [one, two] {
            for batch in [1, 3, 8] {
                #expect(try Self.generate(model, batch: batch) == alone,
                        "\(precision), \(model.pool.threadCount) threads, batch \(batch)")
            }
        }
    }

    /// Bit-for-bit logits: one decode step alone and beside seven other sequences.
    @Test(arguments: LlamaModel.Precision.allCases)
    func decodeLogitsDoNotDependOnNeighbours(precision: LlamaModel.Precision) throws {
        let model = try Self.model(threads: 2, precision)
        let caches = Self.prompts.map { _ in model.makeCache() }
        for (prompt, cache) in zip(Self.prompts, caches) { _ = try model.forward(tokens: prompt, cache: cache) }
        let alone = model.makeCache()
        _ = try model.forward(tokens: Self.prompts[0], cache: alone)
        let single = try model.forward(tokens: [42], cache: alone)
        let batched = try model.forward(caches.map { LlamaModel.Input(tokens: [42], cache: $0) })
        #expect(batched[0] == single)
    }
}
