import Foundation
import Testing
@testable import AlignEngine

@Suite struct HFConfigTests {
    func config(_ text: String) -> HFConfig {
        text.utf8CString.withUnsafeBytes { raw in
            // Drop the C string's terminating NUL.
            (try? HFJSON.parse(UnsafeRawBufferPointer(rebasing: raw.dropLast()), path: "config.json"))
                .map { HFConfig(json: $0, path: "config.json") } ?? HFConfig(json: .null, path: "config.json")
        }
    }

    @Test func transformers5LlamaConfig() throws {
        let c = try HFConfig(path: TinyLlamaFixtures.path("llama-safetensors/config.json"))
        #expect(c.modelType == "llama")
        #expect(try c.hiddenSize == 32 && c.layerCount == 2 && c.headCount == 4 && c.vocabSize == 384)
        #expect(try c.ropeTheta == 10_000)
        #expect(try c.tiedWordEmbeddings == false)
        #expect(c.storedDType == "float16")
        #expect(try c.tokenIDs("eos_token_id") == [2])
    }

    @Test func legacyNamesAndDefaults() throws {
        let c = config(#"{"model_type": "t5", "d_model": 512, "num_layers": 6, "num_heads": 8, "d_ff": 2048, "vocab_size": 32128, "eos_token_id": [1, 7], "rope_theta": 500000.0}"#)
        #expect(try c.hiddenSize == 512 && c.layerCount == 6 && c.headCount == 8 && c.intermediateSize == 2048)
        #expect(try c.tiedWordEmbeddings == true, "T5 ties unless told otherwise")
        #expect(try c.tokenIDs("eos_token_id") == [1, 7])
        #expect(try c.ropeTheta == 500_000)
    }

    @Test func wrongTypesNameTheKey() {
        let c = config(#"{"hidden_size": "big", "tie_word_embeddings": 1, "id2label": {"x": "no"}}"#)
        #expect(errorText { _ = try c.hiddenSize }.contains("`hidden_size` must be an integer"))
        #expect(errorText { _ = try c.tiedWordEmbeddings }.contains("`tie_word_embeddings` must be true or false"))
        #expect(errorText { _ = try c.idToLabel }.contains("id2label"))
        #expect(errorText { _ = try c.vocabSize }.contains("missing `vocab_size`"))
    }

    @Test func idToLabel() throws {
        let c = config(#"{"id2label": {"0": "no", "1": "yes"}}"#)
        #expect(try c.idToLabel == [0: "no", 1: "yes"])
    }

    @Test func ropeScalingIsReported() {
        #expect(config(#"{"rope_scaling": {"type": "linear", "factor": 2.0}}"#).ropeScalingType == "linear")
        #expect(config(#"{"rope_parameters": {"rope_type": "default", "rope_theta": 1.0}}"#).ropeScalingType == nil)
        #expect(config(#"{"rope_scaling": null}"#).ropeScalingType == nil)
    }

    @Test func generationConfig() throws {
        let g = try HFGenerationConfig(path: TinyLlamaFixtures.path("llama-safetensors/generation_config.json"))
        #expect(g.bosTokenID == 1 && g.eosTokenIDs == [2])
        #expect(g.doSample == true && g.temperature == 0.6 && g.topP == 0.9 && g.maxLength == 128)
    }

    @Test func notJSON() throws {
        let dir = try TemporaryFolder()
        let path = try dir.write("config.json", Array("{\"a\": ".utf8))
        #expect(errorText { _ = try HFConfig(path: path) }.contains("\(path): invalid JSON"))
    }
}
