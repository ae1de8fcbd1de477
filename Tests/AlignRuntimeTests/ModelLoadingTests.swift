import AlignEngine
import AlignSyntax
import Foundation
import Testing
@testable import AlignRuntime

/// `model()` against the bootstrap's SmolLM2 and MiniLM: the cache, the options and the handle.
/// Skipped outside CI when `scripts/bootstrap` has not installed the models; under CI it fails.
@Suite(.enabled(if: BootstrapModels.shouldRun, "SmolLM2/MiniLM not installed (run scripts/bootstrap)"), .serialized)
struct ModelLoadingTests {

    static func handle(_ v: Value) throws -> LoadedModel {
        guard case .handle(let h) = v, let m = h as? ModelHandle else { throw Diagnostic.error("not a model", at: nil) }
        return m.model
    }

    @Test func aModelIsLoadedOncePerOptions() throws {
        let a = try Self.handle(BuiltinHarness.call("model", [.string("smollm2")]))
        let b = try Self.handle(BuiltinHarness.call("model", [.string("SmolLM2")]))
        #expect(a === b)
        let other = try Self.handle(BuiltinHarness.call("model", [.string("smollm2")], ["threads": .int(1)]))
        #expect(other !== a)
        #expect(other.causalLM?.model.config == a.causalLM?.model.config)
    }

    @Test func handleShowsFamilySizeAndQuantization() throws {
        let v = try BuiltinHarness.call("model", [.string("smollm2")])
        let text = v.reprString
        #expect(text.hasPrefix("<model smollm2: llama causal LM, "), "\(text)")
        #expect(text.contains("M params, Q4_1, "), "\(text)")
        #expect(text.hasSuffix("SmolLM2-135M-Instruct.Q4_1.gguf>"), "\(text)")
        let enc = try BuiltinHarness.call("model", [.string("minilm")])
        #expect(enc.reprString.contains("bert sentence encoder"), "\(enc.reprString)")
    }

    @Test func contextOptionBoundsPromptPlusOutput() throws {
        let small = try BuiltinHarness.call("model", [.string("smollm2")], ["context": .int(8)])
        let failure = try #require(BuiltinHarness.failure("generate", [small, .string("The capital of France is")], ["max_tokens": .int(8)]))
        #expect(failure.message == "prompt of 5 tokens + max_tokens 8 exceeds the context of 8 tokens")
        let fits = try BuiltinHarness.call("generate", [small, .string("The capital of France is")], ["max_tokens": .int(3)])
        #expect(fits == .string(" Paris.\n"))
    }

    @Test func requantizingIsRefusedWithTheStoredType() throws {
        let failure = try #require(BuiltinHarness.failure("model", [.string("smollm2")], ["quantize": .string("Q8_0")]))
        #expect(failure.message.contains("weights are stored as Q4_1"), "\(failure.message)")
        #expect(failure.at == "a0")
        _ = try BuiltinHarness.call("model", [.string("smollm2")], ["quantize": .string("q4_1")])
    }

    @Test func badOptionsAreDiagnostics() throws {
        let threads = try #require(BuiltinHarness.failure("model", [.string("smollm2")], ["threads": .int(0)]))
        #expect(threads.message == "threads must be between 1 and 256, got 0")
        let missing = try #require(BuiltinHarness.failure("model", [.string("./nowhere/x.gguf")]))
        #expect(missing.message.contains("cannot find model"), "\(missing.message)")
        #expect(missing.help?.contains("smollm2") == true)
    }

    @Test func chatAppliesTheTemplate() throws {
        let lm = try BuiltinHarness.call("model", [.string("smollm2")])
        let reply = try BuiltinHarness.call("chat", [lm, .list([.record(Record([("role", .string("user")), ("content", .string("What is 2+2?"))]))])],
                                            ["max_tokens": .int(12)])
        guard case .string(let text) = reply else { Issue.record("chat returns a string"); return }
        #expect(!text.isEmpty)
        #expect(!text.contains("<|im_start|>"))
        let bad = try #require(BuiltinHarness.failure("chat", [lm, .list([.string("hi")])]))
        #expect(bad.message.hasPrefix("message 0 must be a record"))
    }
}

/// Whether `scripts/bootstrap` has installed the built-in aliases' files.
enum BootstrapModels {
    /// On CI (`CI=true`) the suite always runs, so a missing model fails instead of skipping.
    static var shouldRun: Bool { ProcessInfo.processInfo.environment["CI"] == "true" || installed }

    static var installed: Bool {
        let resolver = ModelResolver()
        return ModelResolver.aliases.allSatisfy { FileManager.default.fileExists(atPath: resolver.alignModelsRoot + "/" + $0.relativePath) }
    }
}
