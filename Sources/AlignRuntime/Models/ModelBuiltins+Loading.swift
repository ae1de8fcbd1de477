import AlignEngine
import AlignSyntax

/// `model(id, quantize?, threads?, context?, …, precision?)`: resolution (aliases, paths, the offline hub cache)
/// and loading through the process-wide `ModelCache`, so a model is read once per process;
/// `openai:URL` ids go to `ModelBuiltins+Remote.swift`.
/// `ALIGN_MODELS=off` makes every `model()` call an error, for fuzzing scripts without running
/// models.
extension ModelBuiltins {
    static var loading: [Builtin] {
        [
            Builtin("model", [.init("id"), .init("quantize", optional: true), .init("threads", optional: true),
                              .init("context", optional: true), .init("name", optional: true), .init("api_key_env", optional: true),
                              .init("concurrency", optional: true), .init("timeout", optional: true), .init("retries", optional: true),
                              .init("precision", optional: true)],
                    doc: "Loads a model: an alias (\"smollm2\", \"minilm\"), a GGUF file, a model or LoRA adapter folder, or an HF repo id in the local cache. Loaded once per process; `precision: \"exact\"` computes in f32 like transformers (default \"fast\": int8 activations like llama.cpp). `\"openai:URL\"` with `name:` (and `api_key_env:`, `concurrency:`, `timeout:`, `retries:`) uses an OpenAI-compatible server. `let lm = model(\"smollm2\")`") { call in
                let id = try call.string(0, "id")
                if SourceFiles.environment("ALIGN_MODELS") == "off" {
                    throw call.error("models are disabled in this process (ALIGN_MODELS=off)")
                }
                if id.hasPrefix(remotePrefix) { return try remoteModel(call, id) }
                for (i, name) in [(4, "name"), (5, "api_key_env"), (6, "concurrency"), (7, "timeout"), (8, "retries")]
                where i < call.arguments.count && call.arguments[i] != nil {
                    throw call.error(argument: i, "`\(name)` applies to `openai:` endpoints only")
                }
                var precision: LlamaModel.Precision?
                if let text = try call.optionalString(9, "precision") {
                    guard let p = LlamaModel.Precision(rawValue: text) else {
                        throw call.error(argument: 9, "unknown precision \"\(text)\"", help: "use \"fast\" or \"exact\"")
                    }
                    precision = p
                }
                let options = ModelLoadOptions(threads: try call.optionalInt(2, "threads"),
                                               context: try call.optionalInt(3, "context"),
                                               quantize: try call.optionalString(1, "quantize"), precision: precision)
                let resolver = ModelResolver()
                do {
                    let path = id.hasPrefix("/") || id.hasPrefix("~") ? id : SourceFiles.join(call.services.scriptDirectory, id)
                    let local = id.contains("/") || id.hasSuffix(".gguf") ? (try? resolver.resolve(path)) : nil
                    let loaded = try ModelCache.shared.model(local == nil ? id : path, options: options, resolver: resolver)
                    return .handle(ModelHandle(loaded))
                } catch let error as EngineError {
                    let aliases = ModelResolver.aliases.map(\.name).joined(separator: ", ")
                    if case .notFound = error {
                        throw call.error(argument: 0, error.description,
                                         help: "built-in aliases: \(aliases); or pass a GGUF path, a model folder or a cached HF repo id")
                    }
                    throw call.error(argument: 0, error.description)
                }
            },
        ]
    }
}
