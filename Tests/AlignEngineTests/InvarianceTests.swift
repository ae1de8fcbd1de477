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

    /// Fast precision runs every row with the same operations in prefill and decode, so a prompt's
    /// logits are bit-identical whether it is fed in one pass, in uneven pieces, or one token at a
    /// time (blocked prefill attention included: 21 tokens make runs of 8, 8 and 5 rows, and
    /// pieces of 9 and 1 rows). Exact precision may use sgemm in prefill, so it is compared to
    /// rounding.
    @Test(arguments: LlamaModel.Precision.allCases)
    func promptLogitsDoNotDependOnHowThePromptIsFed(precision: LlamaModel.Precision) throws {
        let model = try Self.model(threads: 2, precision)
        let prompt = Self.prompts[5] + [42]
        #expect(prompt.count == 21)
        let whole = try model.forward([LlamaModel.Input(tokens: prompt, cache: model.makeCache(), allLogits: true)])[0]
        let oneByOne = model.makeCache(), pieces = model.makeCache()
        var stepped: [Float] = [], pieced: [Float] = []
        for t in prompt { stepped += try model.forward([LlamaModel.Input(tokens: [t], cache: oneByOne, allLogits: true)])[0] }
        var start = 0
        for size in [9, 1, 11] {
            pieced += try model.forward([LlamaModel.Input(tokens: Array(prompt[start..<start + size]), cache: pieces, allLogits: true)])[0]
            start += size
        }
        #expect(whole.count == stepped.count && whole.count == pieced.count)
        if precision == .fast {
            #expect(whole == stepped)
            #expect(whole == pieced)
        } else {
            let worst = zip(whole, stepped).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst < 1e-3, "largest logit difference \(worst)")
        }
    }
}
