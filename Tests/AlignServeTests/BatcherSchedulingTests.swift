import AlignTestSupport
import AlignEngine
import Foundation
import Testing

/// The batcher's mixed passes (new prompts prefilled in the same forward pass as the running
/// sequences' decode rows, long prompts split across steps) must leave every sequence's tokens
/// exactly as a solo `Generator` run makes them, and its log-probabilities bit-equal to a run
/// with the sequence alone, in both precisions.
@Suite(.serialized, .enabled(if: ServerProcess.shouldRun, "SmolLM2 GGUF not installed (run scripts/bootstrap)"))
struct BatcherSchedulingTests {
    /// Prompts of about 5, 20, 45 and 90 tokens: with a budget of 24 prompt tokens per step the
    /// longer ones are prefilled over several steps, beside other sequences' decode rows.
    static let texts = [
        "The capital of France is",
        "Here is a short story about a lighthouse keeper who finds a message in a bottle:",
        String(repeating: "The river flows past the old mill, and the miller counts the sacks of flour. ", count: 3),
        String(repeating: "Photosynthesis turns light, water and carbon dioxide into sugar and oxygen. ", count: 6),
    ]

    static func request(_ ids: [Int32], maxTokens: Int) -> GenerationRequest {
        GenerationRequest(prompt: .tokens(ids), sampler: .greedy, maxTokens: maxTokens, stopStrings: [], stopAtEndOfGeneration: false)
    }

    /// What one sequence reported: the log-probability of each sampled token, then how it ended.
    struct Outcome: Sendable {
        var logprobs: [Double] = []
        var end: ContinuousBatcher.Event?
    }

    /// Runs `first`, and once it is decoding, `second`; returns each sequence's outcome (first's, then second's).
    static func runInTwoWaves(_ batcher: ContinuousBatcher, first: [ContinuousBatcher.Submission],
                              second: [ContinuousBatcher.Submission]) throws -> [Outcome] {
        let outcomes = LockedArray<(Int, ContinuousBatcher.Event)>()
        let decoding = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        func handler(offset: Int) -> @Sendable (Int, ContinuousBatcher.Event) -> Void {
            { index, event in
                outcomes.append((offset + index, event))
                switch event {
                case .token: if offset == 0 { decoding.signal() }
                case .finished, .failed: done.signal()
                }
            }
        }
        _ = try batcher.submit(first, onEvent: handler(offset: 0))
        #expect(decoding.wait(timeout: .now() + 120) == .success, "the first wave never started decoding")
        _ = try batcher.submit(second, onEvent: handler(offset: first.count))
        for _ in 0..<(first.count + second.count) {
            #expect(done.wait(timeout: .now() + 300) == .success, "a sequence never finished")
        }
        var result = [Outcome](repeating: Outcome(), count: first.count + second.count)
        for (i, event) in outcomes.values {
            switch event {
            case .token(_, _, let score): result[i].logprobs.append(score?.logprob ?? .nan)
            case .finished, .failed: result[i].end = event
            }
        }
        return result
    }

    /// Each sequence alone: one at a time, its whole prompt in one pass.
    static func solo(_ lm: CausalLanguageModel, _ submissions: [ContinuousBatcher.Submission]) throws -> [Outcome] {
        let batcher = ContinuousBatcher(model: lm.model, codec: TokenizerTextCodec(lm.tokenizer), contextLength: lm.contextLength,
                                        limits: .init(maxActive: 1, maxQueued: 16, prefillTokensPerStep: 4096))
        defer { batcher.shutdown(grace: 0) }
        return try runInTwoWaves(batcher, first: [submissions[0]], second: Array(submissions.dropFirst()))
    }

    @Test(arguments: [LlamaModel.Precision.fast, .exact])
    func mixedPassesGiveSoloTokensAndLogprobs(precision: LlamaModel.Precision) throws {
        let lm = try #require(try ModelCache.shared.model(ServerProcess.modelPath, options: ModelLoadOptions(precision: precision)).causalLM)
        let codec = TokenizerTextCodec(lm.tokenizer)
        let prompts = Self.texts.map { lm.encode($0) }
        #expect(prompts.map(\.count).max() ?? 0 > 60)
        let batcher = ContinuousBatcher(model: lm.model, codec: codec, contextLength: lm.contextLength,
                                        limits: .init(maxActive: 6, maxQueued: 16, prefillTokensPerStep: 24))
        defer { batcher.shutdown(grace: 0) }
        // The short prompts decode while the long ones arrive; the second wave repeats all four
        // with other lengths, so sequences also join as others leave.
        let first = [prompts[0], prompts[1]].enumerated().map { i, ids in
            ContinuousBatcher.Submission(request: Self.request(ids, maxTokens: 24 + i), sampledLogprobs: 0)
        }
        let second = prompts.reversed().enumerated().map { i, ids in
            ContinuousBatcher.Submission(request: Self.request(ids, maxTokens: 6 + 3 * i), sampledLogprobs: 0)
        }
        let mixed = try Self.runInTwoWaves(batcher, first: first, second: second)
        let alone = try Self.solo(lm, first + second)
        let generator = Generator(model: lm.model, codec: codec)
        for (i, submission) in (first + second).enumerated() {
            guard case .finished(let result, _) = mixed[i].end else {
                Issue.record("sequence \(i) did not finish: \(String(describing: mixed[i].end))")
                continue
            }
            let solo = try generator.generate([submission.request])[0]
            #expect(result.tokens == solo.tokens, "sequence \(i) (\(precision), \(result.promptTokens.count) prompt tokens)")
            #expect(result.text == solo.text, "sequence \(i)")
            // Bit-equal log-probabilities: the logits themselves do not depend on the pass.
            #expect(mixed[i].logprobs == alone[i].logprobs, "sequence \(i) (\(precision))")
            #expect(mixed[i].logprobs.count == submission.request.maxTokens)
        }
    }

    @Test func promptLogprobsInMixedPassesEqualASoloPass() throws {
        let lm = try #require(try ModelCache.shared.model(ServerProcess.modelPath, options: ModelLoadOptions(precision: .fast)).causalLM)
        let codec = TokenizerTextCodec(lm.tokenizer)
        let scored = ContinuousBatcher.Submission(request: Self.request(lm.encode(Self.texts[3]), maxTokens: 2), sampledLogprobs: 2,
                                                  promptLogprobs: true)
        func promptScores(_ limits: ContinuousBatcher.Limits, beside others: [ContinuousBatcher.Submission]) throws -> [TokenLogprob?] {
            let batcher = ContinuousBatcher(model: lm.model, codec: codec, contextLength: lm.contextLength, limits: limits)
            defer { batcher.shutdown(grace: 0) }
            let outcomes = try Self.runInTwoWaves(batcher, first: others, second: [scored])
            guard case .finished(_, let scores) = outcomes.last?.end else {
                Issue.record("the scored sequence did not finish: \(String(describing: outcomes.last?.end))")
                return []
            }
            return scores
        }
        let decoding = [ContinuousBatcher.Submission(request: Self.request(lm.encode(Self.texts[0]), maxTokens: 40))]
        let mixed = try promptScores(.init(maxActive: 4, prefillTokensPerStep: 16), beside: decoding)
        let solo = try promptScores(.init(maxActive: 1, prefillTokensPerStep: 4096), beside: decoding)
        #expect(mixed.count == lm.encode(Self.texts[3]).count)
        #expect(mixed.first == .some(nil))
        #expect(mixed == solo)
    }
}
