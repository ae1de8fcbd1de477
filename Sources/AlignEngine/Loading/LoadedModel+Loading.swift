import Foundation

/// Turning a resolved `ModelSource` into a `LoadedModel`: which kind it is, and the tokenizer,
/// chat template and generation defaults that belong with the weights.
extension LoadedModel {
    /// Opens `source` (found for `id`). GGUF files and LLaMA-family folders become causal LMs,
    /// BERT folders encoders; anything else is an `unsupported` error naming the file.
    public static func load(id: String, source: ModelSource, options: ModelLoadOptions) throws(EngineError) -> LoadedModel {
        try options.validate()
        let store = try source.weights()
        let facts = weightFacts(store)
        if let wanted = options.quantize, wanted.uppercased() != facts.quantization {
            throw .unsupported("\(source): weights are stored as \(facts.quantization) and the engine does not re-quantize "
                + "(asked for \(wanted)); convert the file, or omit `quantize`")
        }
        let kind: Kind
        let family: String
        let config = try source.config()
        if let config, Seq2SeqModel.families.contains(config.modelType) {
            kind = .seq2seq(try Seq2SeqModel(folder: (config.path as NSString).deletingLastPathComponent, config: config, store: store))
            family = config.modelType
        } else if let config, config.modelType != "" && !HFConfig.llamaFamily.contains(config.modelType) {
            kind = .encoder(try loadEncoder(folder: config.path, config: config, store: store))
            family = config.modelType
        } else {
            let (model, familyName) = try loadCausal(source: source, store: store, options: options)
            kind = .causalLM(model)
            family = familyName
        }
        return LoadedModel(id: id, source: source, kind: kind, family: family, parameterCount: facts.parameters,
                           quantization: facts.quantization, options: options)
    }

    private static func loadCausal(source: ModelSource, store: TensorStore,
                                   options: ModelLoadOptions) throws(EngineError) -> (CausalLanguageModel, String) {
        let pool = options.threads.map { WorkerPool(threads: $0) } ?? .shared
        let ggufPath: String? = switch source {
        case .gguf(let path): path
        case .adapter(_, .gguf(let path)): path
        default: nil
        }
        if let ggufPath {
            let gguf: GGUFFile
            if let opened = store as? GGUFFile { gguf = opened } else { gguf = try GGUFFile(path: ggufPath) }
            let model = try LlamaModel.load(store: store, config: try LlamaConfig.fromGGUF(gguf), pool: pool)
            let tokenizer = try TokenizerLoader.load(ggufMetadata: gguf.metadata, source: ggufPath)
            let template = try ChatTemplate(ggufMetadata: gguf.metadata, source: ggufPath)
            return (CausalLanguageModel(model: model, tokenizer: tokenizer, chatTemplate: template,
                                        generationDefaults: HFGenerationConfig(), context: options.context),
                    gguf.architecture ?? "llama")
        }
        guard let folder = source.modelFolder, let config = try source.config() else {
            throw .unsupported("\(source): no config.json or GGUF metadata to build the model from")
        }
        let model = try LlamaModel.load(store: store, config: try config.llamaConfig(), pool: pool)
        let tokenizer = try TokenizerLoader.load(directory: folder)
        let generationPath = folder + "/generation_config.json"
        let defaults = FileManager.default.fileExists(atPath: generationPath)
            ? try HFGenerationConfig(path: generationPath) : HFGenerationConfig()
        return (CausalLanguageModel(model: model, tokenizer: tokenizer, chatTemplate: try chatTemplate(folder: folder),
                                    generationDefaults: defaults, context: options.context),
                config.modelType)
    }

    /// `chat_template.jinja` (newer transformers) or the `chat_template` of `tokenizer_config.json`.
    private static func chatTemplate(folder: String) throws(EngineError) -> ChatTemplate? {
        let jinja = folder + "/chat_template.jinja"
        if let data = FileManager.default.contents(atPath: jinja) {
            return try ChatTemplate(String(decoding: data, as: UTF8.self), name: jinja)
        }
        let configPath = folder + "/tokenizer_config.json"
        guard FileManager.default.fileExists(atPath: configPath) else { return nil }
        return try ChatTemplate(tokenizerConfig: try HFJSON.read(path: configPath), source: configPath)
    }

    private static func loadEncoder(folder configPath: String, config: HFConfig,
                                    store: TensorStore) throws(EngineError) -> EncoderModel {
        let folder = (configPath as NSString).deletingLastPathComponent
        let tokenizer = try TokenizerLoader.load(directory: folder)
        let embedder: SentenceEmbedder? = FileManager.default.fileExists(atPath: folder + "/modules.json")
            ? try SentenceEmbedder(folder: folder) : nil
        let encoder: BertModel
        if let embedder { encoder = embedder.encoder } else { encoder = try BertModel(store: store, config: BertConfig(config)) }
        let classifier: BertSequenceClassifier? = config.architectures.contains { $0.hasSuffix("ForSequenceClassification") }
            ? try BertSequenceClassifier(encoder: encoder) : nil
        return EncoderModel(encoder: encoder, tokenizer: tokenizer, embedder: embedder, classifier: classifier)
    }
}
