import CKernels
import Foundation

/// Turning a resolved `ModelSource` into a `LoadedModel`: which kind it is, and the tokenizer,
/// chat template and generation defaults that belong with the weights.
extension LoadedModel {
    /// Opens `source` (found for `id`). GGUF files and LLaMA-family folders become causal LMs,
    /// BERT folders encoders; anything else is an `unsupported` error naming the file.
    public static func load(id: String, source: ModelSource, options: ModelLoadOptions) throws(EngineError) -> LoadedModel {
        let model = try open(id: id, source: source, options: options)
        // Only now are the checkpoint's parse structures (GGUF metadata, tensor tables) gone;
        // they leave holes in the heap that stay resident unless handed back.
        ck_trim_heap()
        return model
    }

    private static func open(id: String, source: ModelSource, options: ModelLoadOptions) throws(EngineError) -> LoadedModel {
        try options.validate()
        var store = try source.weights()
        let encoderConfig = try source.config().flatMap {
            $0.modelType != "" && !HFConfig.llamaFamily.contains($0.modelType) ? $0 : nil
        }
        if let wanted = options.quantize {
            store = try quantized(store, to: wanted, encoder: encoderConfig != nil, source: source)
        }
        let facts = weightFacts(store)
        let kind: Kind
        let family: String
        if let config = encoderConfig, Seq2SeqModel.families.contains(config.modelType) {
            kind = .seq2seq(try Seq2SeqModel(folder: (config.path as NSString).deletingLastPathComponent, config: config, store: store))
            family = config.modelType
        } else if let config = encoderConfig {
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


    /// The weights with `quantize:` applied: plain-float matrices become `wanted` blocks; a
    /// checkpoint already stored in that type is used as it is. Already-quantized weights of
    /// another type and encoders (whose layers run in f32) are refused with the reason.
    private static func quantized(_ store: TensorStore, to wanted: String, encoder: Bool,
                                  source: ModelSource) throws(EngineError) -> TensorStore {
        let stored = weightFacts(store).quantization
        if wanted.uppercased() == stored { return store }
        guard let target = QuantizationTarget(name: wanted) else {
            throw .invalidArgument("quantize: '\(wanted)' is not a type the engine writes (\(QuantizationTarget.names))")
        }
        guard !encoder else {
            throw .unsupported("\(source): quantize applies to causal LMs; encoder and seq2seq weights run in f32")
        }
        guard ["F32", "F16", "BF16"].contains(stored) else {
            throw .unsupported("\(source): weights are stored as \(stored) (already quantized); re-quantizing to \(target.rawValue) "
                + "would compound the rounding (use `align quantize --allow-requantize` to write such a file on purpose)")
        }
        return QuantizedStore(store, target: target)
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
            let model = try LlamaModel.load(store: store, config: try LlamaConfig.fromGGUF(gguf), pool: pool,
                                            precision: options.precision ?? .environmentDefault)
            let tokenizer = try TokenizerLoader.load(ggufMetadata: gguf.metadata, source: ggufPath)
            let template = try ChatTemplate(ggufMetadata: gguf.metadata, source: ggufPath)
            return (CausalLanguageModel(model: model, tokenizer: tokenizer, chatTemplate: template,
                                        generationDefaults: HFGenerationConfig(), context: options.context),
                    gguf.architecture ?? "llama")
        }
        guard let folder = source.modelFolder, let config = try source.config() else {
            throw .unsupported("\(source): no config.json or GGUF metadata to build the model from")
        }
        let model = try LlamaModel.load(store: store, config: try config.llamaConfig(), pool: pool,
                                        precision: options.precision ?? .environmentDefault)
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
