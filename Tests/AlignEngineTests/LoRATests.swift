import Foundation
import Testing
@testable import AlignEngine

@Suite struct LoRATests {
    @Test(arguments: ["lora", "lora-bin"])
    func mergeMatchesPeftMergeAndUnload(folder: String) throws {
        let adapter = try LoRAAdapter(folder: TinyLlamaFixtures.path(folder))
        #expect(adapter.rank == 4 && adapter.alpha == 8 && adapter.baseModel == "align-tests/tiny-llama")
        #expect(adapter.targetModules.count == 7)
        let base = try CheckpointFiles.open(folder: TinyLlamaFixtures.path("llama-safetensors"))
        let merged = try adapter.merged(into: base)
        #expect(merged.mergedNames.count == 2 * 7)
        #expect(merged.tensors["model.layers.0.self_attn.q_proj.weight"]?.dtype == .f32)
        #expect(merged.tensors["model.embed_tokens.weight"]?.dtype == .f16, "untouched tensors stay mapped")
        #expect(try TinyLlamaFixtures.mismatches(merged, variant: "lora", tolerance: 1e-5) == [])
        // The merge really changed the weights: the base digest no longer fits.
        #expect(try !TinyLlamaFixtures.mismatches(merged, variant: "llama", tolerance: 1e-5).isEmpty)
    }

    @Test func scalingFollowsPeft() throws {
        let adapter = try LoRAAdapter(folder: TinyLlamaFixtures.path("lora"))
        #expect(adapter.scaling(module: "model.layers.0.self_attn.q_proj", rank: 4) == 2)
        #expect(LoRAAdapter.module("model.layers.0.self_attn.q_proj", matches: "q_proj"))
        #expect(LoRAAdapter.module("model.layers.1.mlp.up_proj", matches: "layers\\.1\\.mlp\\.up_proj"))
        #expect(!LoRAAdapter.module("model.layers.0.self_attn.q_proj", matches: "k_proj"))
    }

    @Test func adapterOnTheWrongBaseIsAnError() throws {
        let adapter = try LoRAAdapter(folder: TinyLlamaFixtures.path("lora"))
        let gqa = try CheckpointFiles.open(folder: TinyLlamaFixtures.path("gqa-safetensors"))
        #expect(errorText { _ = try adapter.merged(into: gqa) }.contains("do not fit base"))
    }

    @Test func badAdapterConfigs() throws {
        let dir = try TemporaryFolder()
        try #"{"peft_type": "LORA", "r": 0, "lora_alpha": 8}"#.write(toFile: dir.path + "/adapter_config.json", atomically: true, encoding: .utf8)
        #expect(errorText { _ = try LoRAAdapter(folder: dir.path) }.contains("`r` must be positive"))
        try #"{"peft_type": "PREFIX_TUNING"}"#.write(toFile: dir.path + "/adapter_config.json", atomically: true, encoding: .utf8)
        #expect(errorText { _ = try LoRAAdapter(folder: dir.path) }.contains("PREFIX_TUNING"))
        try #"{"peft_type": "LORA", "r": 4}"#.write(toFile: dir.path + "/adapter_config.json", atomically: true, encoding: .utf8)
        #expect(errorText { _ = try LoRAAdapter(folder: dir.path) }.contains("adapter_model.safetensors"))
    }
}
