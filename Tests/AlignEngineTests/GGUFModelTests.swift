import Testing
@testable import AlignEngine

@Suite(.enabled(if: LlamaTestModel.shouldRun, LlamaTestModel.skipNote))
struct GGUFModelTests {
    @Test func readsSmolLM2Header() throws {
        let gguf = try GGUFFile(path: LlamaTestModel.smolLM2Path)
        #expect(gguf.version == 3)
        #expect(gguf.architecture == "llama")
        #expect(gguf.int("llama.block_count") == 30)
        #expect(gguf.int("llama.embedding_length") == 576)
        #expect(gguf.int("llama.attention.head_count_kv") == 3)
        let tokens = try gguf.strings("tokenizer.ggml.tokens")
        #expect(tokens?.count == 49152)
        #expect(tokens?[7042] == "ĠParis")
        let embedding = try #require(gguf.tensors["token_embd.weight"])
        #expect(embedding.shape == [49152, 576])
        #expect(gguf.tensorNames.count == gguf.tensors.count)
    }
}
