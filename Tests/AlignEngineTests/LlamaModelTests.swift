import Foundation
import Testing
@testable import AlignEngine

/// SmolLM2-135M-Instruct Q4_1 in `.exact` precision against transformers (fp32 on the dequantized
/// GGUF weights; `Fixtures/gguf/smollm2_torch_greedy.json` is `/work/shared/reference/torch_greedy.json`)
/// and in `.fast` precision against llama.cpp (`smollm2_llamacpp_greedy.json` is
/// `/work/shared/reference/llamacpp_greedy.json`, llama-cpp-python 0.3.36).
@Suite(.enabled(if: LlamaTestModel.shouldRun, LlamaTestModel.skipNote), .serialized)
struct LlamaModelTests {
    struct Reference: Decodable {
        struct Top: Decodable {
            let token_id: Int32
            let logit: Float
        }
        let prompt_token_ids: [Int32]
        let generated_token_ids: [Int32]
        let per_step_top5: [[Top]]
    }

    static func reference(_ name: String = "smollm2_torch_greedy.json") throws -> Reference {
        let data = try Data(contentsOf: LlamaTestModel.fixtureURL(name))
        return try JSONDecoder().decode(Reference.self, from: data)
    }

    static func model(_ precision: LlamaModel.Precision = .exact) throws -> LlamaModel {
        try LlamaModel.load(store: GGUFFile(path: LlamaTestModel.smolLM2Path), precision: precision)
    }

    /// Greedy continuation of the reference prompt with the largest top-5 logit difference seen.
    static func greedy(_ model: LlamaModel, _ ref: Reference) throws -> (tokens: [Int32], worst: Float) {
        let cache = model.makeCache()
        var logits = try model.forward(tokens: ref.prompt_token_ids, cache: cache)
        var generated: [Int32] = []
        var worst: Float = 0
        for step in 0..<ref.generated_token_ids.count {
            for top in ref.per_step_top5[step] { worst = max(worst, abs(logits[Int(top.token_id)] - top.logit)) }
            let next = Int32(logits.indices.max { logits[$0] < logits[$1] } ?? 0)
            generated.append(next)
            logits = try model.forward(tokens: [next], cache: cache)
        }
        return (generated, worst)
    }

    @Test func firstStepTopLogitsMatchTorch() throws {
        let ref = try Self.reference()
        let model = try Self.model()
        let logits = try model.forward(tokens: ref.prompt_token_ids, cache: model.makeCache())
        for top in ref.per_step_top5[0] {
            #expect(abs(logits[Int(top.token_id)] - top.logit) < 0.02, "token \(top.token_id)")
        }
        let best = logits.indices.max { logits[$0] < logits[$1] }
        #expect(best == Int(ref.per_step_top5[0][0].token_id))
    }

    @Test func greedyContinuationMatchesTorch() throws {
        let ref = try Self.reference()
        let (generated, worst) = try Self.greedy(try Self.model(), ref)
        #expect(generated == ref.generated_token_ids)
        #expect(worst < 0.05, "largest top-5 logit difference over 32 steps: \(worst)")
    }

    /// int8 activations reproduce llama.cpp's 32 greedy tokens, including step 5 where the
    /// quantized and fp32 computations choose differently (" United" 14.39 vs " answer" 14.06).
    /// The logits themselves differ by up to ~1.1 (0.3 at the first step; measured): llama.cpp's
    /// rope angles, f16 attention products and kernel orders are not reproduced bit for bit.
    @Test func fastPrecisionMatchesLlamaCpp() throws {
        let ref = try Self.reference("smollm2_llamacpp_greedy.json")
        let (generated, worst) = try Self.greedy(try Self.model(.fast), ref)
        #expect(generated == ref.generated_token_ids)
        #expect(worst < 1.5, "largest top-5 logit difference over 32 steps: \(worst)")
    }

    @Test func generatorReproducesTheGreedyReference() throws {
        let ref = try Self.reference()
        let generator = Generator(model: try Self.model(), codec: nil)
        let request = GenerationRequest(prompt: .tokens(ref.prompt_token_ids), maxTokens: ref.generated_token_ids.count)
        let results = try generator.generate([request, request])
        #expect(results[0].tokens == ref.generated_token_ids)
        #expect(results[1] == results[0])
    }
}
