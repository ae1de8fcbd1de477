import AlignEngine
import ArgumentParser
import Foundation

/// `align quantize IN OUT.gguf --type q4_0`: writes a quantized GGUF that align and llama.cpp
/// both load. IN is a GGUF file, a LLaMA-family Hugging Face folder, or (with `--synthetic`) a
/// named random-weight shape. The file appears only when complete (written beside it, then
/// renamed); progress goes to stderr.
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize a GGUF file or a LLaMA-family Hugging Face folder into a GGUF file.",
        discussion: """
        Types: q8_0, q4_0, q4_k (rows not a multiple of 256 fall back to q4_0). Matrices of f32/f16/bf16 \
        weights are quantized; norms are stored as f32; metadata and the tokenizer are copied. \
        `align quantize --synthetic llama2-7b --type q4_0 OUT.gguf` generates a random-weight model of \
        that shape instead (for benchmarks).
        """)

    @Argument(help: "Input model (GGUF file, model folder or alias), then the output .gguf path; with --synthetic only the output.")
    var paths: [String]

    @Option(name: .customLong("type"), help: "Target type: q8_0, q4_0 or q4_k.")
    var typeName: String

    @Option(help: "Generate a random-weight model of this shape instead of reading one (llama2-7b, llama2-tiny).")
    var synthetic: String?

    @Flag(name: .customLong("allow-requantize"), help: "Also quantize matrices that are already quantized (compounds rounding).")
    var allowRequantize = false

    mutating func validate() throws {
        guard QuantizationTarget(name: typeName) != nil else {
            throw ValidationError("--type must be one of q8_0, q4_0, q4_k; got '\(typeName)'")
        }
        let expected = synthetic == nil ? 2 : 1
        guard paths.count == expected else {
            throw ValidationError(synthetic == nil ? "expected IN and OUT.gguf" : "with --synthetic, give only OUT.gguf")
        }
        if let synthetic, GGUFConversion.syntheticShapes[synthetic] == nil {
            throw ValidationError("unknown --synthetic shape '\(synthetic)'; known: "
                + GGUFConversion.syntheticShapes.keys.sorted().joined(separator: ", "))
        }
    }

    func run() throws {
        guard let target = QuantizationTarget(name: typeName), let output = paths.last else { return }
        let start = Date()
        do {
            let plan = try conversion(target: target)
            try plan.write(to: output) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let size = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
            let mib = String(format: "%.1f", Double(size) / 1_048_576)
            let seconds = String(format: "%.1f", Date().timeIntervalSince(start))
            print("wrote \(output): \(plan.tensors.count) tensors, \(mib) MiB, \(target.rawValue), \(seconds) s")
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(Sysexits.dataError)
        }
    }

    private func conversion(target: QuantizationTarget) throws(EngineError) -> GGUFConversion {
        if let synthetic, let shape = GGUFConversion.syntheticShapes[synthetic] {
            return GGUFConversion.synthetic(shape, name: synthetic, target: target)
        }
        let source = try ModelResolver().resolve(paths[0])
        switch source {
        case .gguf(let path):
            return try GGUFConversion.fromGGUF(try GGUFFile(path: path), target: target, requantize: allowRequantize)
        case .folder(let folder):
            guard let config = try source.config() else { throw .file(folder, "no config.json") }
            return try GGUFConversion.fromHuggingFace(folder: folder, store: try source.weights(), config: config,
                                                      target: target, requantize: allowRequantize)
        case .adapter(let path, _):
            throw .unsupported("\(path) is a LoRA adapter; quantize its base model (adapters are applied at load)")
        }
    }
}
