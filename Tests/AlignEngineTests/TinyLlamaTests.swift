import Foundation
import Testing
@testable import AlignEngine

/// Every checkpoint layout of the tiny LLaMA runs through the LLaMA forward pass and must give
/// transformers' logits (1e-4 relative) and the same 16-token greedy continuation.
@Suite struct TinyLlamaTests {
    /// (layout folder or adapter, reference variant, base folder for adapters)
    static let layouts: [(String, String, String?)] = [
        ("llama-safetensors", "llama", nil), ("llama-sharded", "llama", nil), ("llama-bin", "llama", nil),
        ("llama-bin-sharded", "llama", nil), ("lora", "lora", "llama-safetensors"),
        ("lora-bin", "lora", "llama-safetensors"), ("gqa-safetensors", "gqa", nil),
    ]

    func load(_ folder: String, base: String?) throws -> LlamaModel {
        let configFolder = TinyLlamaFixtures.path(base ?? folder)
        let config = try HFConfig(path: configFolder + "/config.json").llamaConfig()
        var store = try CheckpointFiles.open(folder: configFolder)
        if base != nil { store = try LoRAAdapter(folder: TinyLlamaFixtures.path(folder)).merged(into: store) }
        return try LlamaModel.load(store: store, config: config, precision: .exact)
    }

    @Test(arguments: layouts)
    func logitsAndGreedyMatchTransformers(folder: String, variant: String, base: String?) throws {
        let reference = try TinyLlamaFixtures.reference()
        let prompt = reference["prompt_ids"]?.arrayValue?.compactMap { $0.intValue.map(Int32.init) } ?? []
        let expected = reference[variant]?["logits"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.doubleValue) ?? [] } ?? []
        let greedy = reference[variant]?["greedy"]?.arrayValue?.compactMap(\.intValue) ?? []
        #expect(prompt.count == 11 && expected.count == prompt.count && greedy.count == 16)

        let model = try load(folder, base: base)
        let vocab = model.config.vocabSize
        let logits = try model.forward([.init(tokens: prompt, cache: model.makeCache(), allLogits: true)])[0]
        #expect(logits.count == prompt.count * vocab)
        for (position, row) in expected.enumerated() where logits.count == prompt.count * vocab {
            let got = logits[(position * vocab)..<((position + 1) * vocab)]
            let scale = row.map(abs).max() ?? 1
            let worst = zip(got, row).map { abs(Double($0) - $1) }.max() ?? .infinity
            #expect(worst / scale <= 1e-4, "\(folder) position \(position): max error \(worst) of \(scale)")
        }

        let cache = model.makeCache()
        var next = try model.forward(tokens: prompt, cache: cache)
        var generated: [Int] = []
        for _ in 0..<16 {
            let best = next.indices.max { next[$0] < next[$1] } ?? 0
            generated.append(best)
            next = try model.forward(tokens: [Int32(best)], cache: cache)
        }
        #expect(generated == greedy, "\(folder)")
    }

    @Test func configMapsToLlamaConfig() throws {
        let mha = try HFConfig(path: TinyLlamaFixtures.path("llama-safetensors/config.json")).llamaConfig()
        #expect(mha.headCount == 4 && mha.kvHeadCount == 4 && mha.headDim == 8 && mha.ropeStyle == .halves)
        #expect(mha.rmsEpsilon == 1e-5 && mha.ropeTheta == 10_000 && !mha.tiedEmbeddings && mha.maxPositions == 128)
        let gqa = try HFConfig(path: TinyLlamaFixtures.path("gqa-safetensors/config.json")).llamaConfig()
        #expect(gqa.kvHeadCount == 2 && gqa.headCount == 4)
    }

    @Test func unsupportedLlamaConfigsAreNamed() throws {
        func config(_ text: String) throws -> HFConfig {
            let dir = try TemporaryFolder()
            return try HFConfig(path: try dir.write("config.json", Array(text.utf8)))
        }
        let base = #""vocab_size": 10, "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2"#
        #expect(errorText { _ = try config("{\"model_type\": \"gpt2\", \(base)}").llamaConfig() }.contains("'gpt2'"))
        #expect(errorText { _ = try config("{\"model_type\": \"llama\", \"rope_scaling\": {\"type\": \"linear\"}, \(base)}").llamaConfig() }.contains("rope scaling 'linear'"))
        #expect(errorText { _ = try config("{\"model_type\": \"llama\", \"num_key_value_heads\": 3, \(base)}").llamaConfig() }.contains("kv heads"))
        #expect(errorText { _ = try config("{\"model_type\": \"llama\", \"attention_bias\": true, \(base)}").llamaConfig() }.contains("attention_bias"))
    }
}
