import AlignEngine
import AlignSyntax

/// `model(id, quantize?, threads?, context?)`: resolution (aliases, paths, the offline hub cache)
/// and loading through the process-wide `ModelCache`, so a model is read once per process.
/// `ALIGN_MODELS=off` makes every `model()` call an error, for fuzzing scripts without running
/// models.
extension ModelBuiltins {
    static var loading: [Builtin] {
        [
            Builtin("model", [.init("id"), .init("quantize", optional: true), .init("threads", optional: true),
                              .init("context", optional: true)],
                    doc: "Loads a model: an alias (\"smollm2\", \"minilm\"), a GGUF file, a model or LoRA adapter folder, or an HF repo id in the local cache. Loaded once per process. `let lm = model(\"smollm2\")`") { call in
                let id = try call.string(0, "id")
                if SourceFiles.environment("ALIGN_MODELS") == "off" {
                    throw call.error("models are disabled in this process (ALIGN_MODELS=off)")
                }
                let options = ModelLoadOptions(threads: try call.optionalInt(2, "threads"),
                                               context: try call.optionalInt(3, "context"),
                                               quantize: try call.optionalString(1, "quantize"))
                if id.hasPrefix("openai:") {
                    throw call.error(argument: 0, "remote endpoints (`openai:URL`) are not supported by this build",
                                     help: "use a local model: an alias, a GGUF file or a model folder")
                }
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
