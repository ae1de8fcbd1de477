import Foundation
import Testing
@testable import AlignEngine

/// `align quantize`'s writer: GGUF files it writes read back with the same metadata (types kept),
/// tensor order and shapes, load as models whose outputs equal load-time quantization of the
/// same weights, and appear atomically.
@Suite(.serialized)
struct GGUFWriterTests {
    static func scratch(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("align-gguf-writer-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name).path
    }

    static func greedy(_ model: LlamaModel, prompt: [Int32], steps: Int) throws -> (logits: [Float], tokens: [Int32]) {
        let cache = model.makeCache()
        var logits = try model.forward(tokens: prompt, cache: cache)
        let first = logits
        var tokens: [Int32] = []
        for _ in 0..<steps {
            var best = 0
            for i in logits.indices where logits[i] > logits[best] { best = i }
            tokens.append(Int32(best))
            logits = try model.forward(tokens: [Int32(best)], cache: cache)
        }
        return (first, tokens)
    }

    @Test(arguments: [QuantizationTarget.q8_0, .q4_0])
    func ggufToGGUFKeepsMetadataAndMatchesLoadTimeQuantization(target: QuantizationTarget) throws {
        let sourcePath = LlamaTestModel.fixtureURL("tiny_llama_hf.gguf").path
        let source = try GGUFFile(path: sourcePath)
        let out = Self.scratch("tiny-\(target.rawValue).gguf")
        defer { unlink(out) }
        try GGUFConversion.fromGGUF(source, target: target, requantize: false).write(to: out) { _ in }
        let written = try GGUFFile(path: out)
        #expect(written.version == 3)
        #expect(written.tensorNames == source.tensorNames)
        for (key, value) in source.metadata where key != "general.file_type" {
            #expect(written.metadata[key] == value, "metadata \(key)")
        }
        #expect(written.int("general.file_type") == Int(target.fileType))
        for name in source.tensorNames {
            let a = try #require(source.tensors[name]), b = try #require(written.tensors[name])
            #expect(a.shape == b.shape, "\(name)")
            #expect(b.dtype == (a.shape.count == 2 ? target.dtype : .f32), "\(name) stored as \(b.dtype)")
        }
        // Copied key/values keep their order and their exact encoding (value type widths included).
        let sourceRaw = try source.rawMetadata().filter { $0.key != "general.alignment" }
        let writtenRaw = try written.rawMetadata()
        #expect(writtenRaw.map(\.key).filter { key in sourceRaw.contains { $0.key == key } } == sourceRaw.map(\.key))
        for (key, value) in sourceRaw where key != "general.file_type" {
            guard case .raw(let type, let bytes) = value,
                  case .raw(let writtenType, let writtenBytes)? = writtenRaw.first(where: { $0.key == key })?.value else {
                Issue.record("\(key) not copied raw")
                continue
            }
            #expect(type == writtenType && bytes == writtenBytes, "\(key)")
        }

        let config = LlamaConfig(vocabSize: 96, hiddenSize: 64, intermediateSize: 128, layerCount: 2, headCount: 4,
                                 kvHeadCount: 2, ropeTheta: 10_000, rmsEpsilon: 1e-5, maxPositions: 128, ropeStyle: .halves)
        let fromFile = try LlamaModel.load(store: written, config: config)
        let atLoad = try LlamaModel.load(store: QuantizedStore(source, target: target), config: config)
        let prompt: [Int32] = [1, 5, 17, 33, 60, 2, 9]
        let a = try Self.greedy(fromFile, prompt: prompt, steps: 8), b = try Self.greedy(atLoad, prompt: prompt, steps: 8)
        #expect(a.logits == b.logits)
        #expect(a.tokens == b.tokens)
    }

    @Test func quantizedLogitsStayCloseToFloatLogits() throws {
        let source = try GGUFFile(path: LlamaTestModel.fixtureURL("tiny_llama_hf.gguf").path)
        let config = LlamaConfig(vocabSize: 96, hiddenSize: 64, intermediateSize: 128, layerCount: 2, headCount: 4,
                                 kvHeadCount: 2, ropeTheta: 10_000, rmsEpsilon: 1e-5, maxPositions: 128, ropeStyle: .halves)
        let prompt: [Int32] = [1, 5, 17, 33, 60, 2, 9]
        let exact = try Self.greedy(try LlamaModel.load(store: source, config: config), prompt: prompt, steps: 0).logits
        let scale = exact.map(abs).max() ?? 1
        for (target, bound) in [(QuantizationTarget.q8_0, Float(0.02)), (.q4_0, 0.25)] {
            let q = try Self.greedy(try LlamaModel.load(store: QuantizedStore(source, target: target), config: config),
                                    prompt: prompt, steps: 0).logits
            let worst = zip(exact, q).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= bound * scale, "\(target): worst logit error \(worst) of scale \(scale)")
        }
    }

    @Test func huggingFaceFolderBecomesALlamaCppLayoutGGUF() throws {
        let folder = TinyLlamaFixtures.path("llama-safetensors")
        let source = try ModelResolver().resolve(folder)
        let config = try #require(try source.config())
        let out = Self.scratch("hf-q8_0.gguf")
        defer { unlink(out) }
        try GGUFConversion.fromHuggingFace(folder: folder, store: try source.weights(), config: config,
                                           target: .q8_0, requantize: false).write(to: out) { _ in }
        let written = try LoadedModel.load(id: out, source: .gguf(path: out), options: ModelLoadOptions())
        let original = try LoadedModel.load(id: folder, source: source, options: ModelLoadOptions(quantize: "q8_0"))
        let a = try #require(written.causalLM), b = try #require(original.causalLM)
        #expect(a.model.config.ropeStyle == .interleaved && b.model.config.ropeStyle == .halves)
        for text in ["Hello world", "The capital of France is", "ünïcödé 123"] {
            #expect(a.encode(text) == b.encode(text), "token ids of \(text)")
        }
        let prompt = b.encode("The capital of France is")
        let x = try Self.greedy(a.model, prompt: prompt, steps: 6), y = try Self.greedy(b.model, prompt: prompt, steps: 6)
        let scale = y.logits.map(abs).max() ?? 1
        let worst = zip(x.logits, y.logits).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-4 * max(scale, 1), "interleaved vs halves rope on the same quantized rows: \(worst)")
        #expect(x.tokens == y.tokens)
    }

    @Test func syntheticModelLoadsAndRuns() throws {
        let shape = try #require(GGUFConversion.syntheticShapes["llama2-tiny"])
        let out = Self.scratch("synthetic.gguf")
        defer { unlink(out) }
        try GGUFConversion.synthetic(shape, name: "llama2-tiny", target: .q4_0).write(to: out) { _ in }
        let loaded = try LoadedModel.load(id: out, source: .gguf(path: out), options: ModelLoadOptions())
        let lm = try #require(loaded.causalLM)
        var expected = shape
        expected.tiedEmbeddings = false
        #expect(lm.model.config == expected)
        #expect(loaded.quantization == "Q4_0")
        #expect(lm.tokenizer.vocabularySize == 512)
        let r = try Self.greedy(lm.model, prompt: [1, 300, 301, 302], steps: 4)
        let finite = r.logits.allSatisfy { $0.isFinite }
        #expect(finite)
    }

    @Test func failedWritesLeaveNoFile() throws {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        writer.tensors = [GGUFTensorPlan(name: "a", shape: [2, 32], dtype: .q8_0)]
        let out = Self.scratch("failed.gguf")
        #expect(throws: EngineError.self) {
            try writer.write(to: out) { (_: Int, _: UnsafeMutableRawBufferPointer) throws(EngineError) in
                throw .invalidArgument("producer failed")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (out as NSString).deletingLastPathComponent)
            .filter { $0.hasPrefix("failed.gguf") }
        #expect(leftovers.isEmpty)
    }

    @Test func requantizingNeedsConsent() throws {
        let source = try GGUFFile(path: LlamaTestModel.fixtureURL("tiny_llama.gguf").path)
        #expect(throws: EngineError.self) { try GGUFConversion.fromGGUF(source, target: .q8_0, requantize: false) }
        let plan = try GGUFConversion.fromGGUF(source, target: .q8_0, requantize: true)
        #expect(plan.tensors.filter { $0.shape.count == 2 }.allSatisfy { $0.dtype == .q8_0 })
    }
}
