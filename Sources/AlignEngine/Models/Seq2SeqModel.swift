import Foundation

/// A BART or T5 checkpoint with what a script needs beside the weights: its tokenizer and the
/// decoding rules of its `generation_config.json` (or, without one, of `config.json`, as
/// transformers' `GenerationConfig.from_model_config` does).
public final class Seq2SeqModel: @unchecked Sendable {
    /// `model_type` values this class loads.
    public static let families: Set<String> = ["bart", "t5"]

    public let network: any Seq2SeqNetwork
    public let tokenizer: any Tokenizer
    /// Start, end and forced tokens, `min_length`, `no_repeat_ngram_size`.
    public let settings: Seq2SeqDecoderSettings
    /// Sampling defaults (`do_sample`, temperature, top-k, top-p).
    public let generationDefaults: HFGenerationConfig
    /// `num_beams`, `length_penalty` and `early_stopping` the checkpoint asks for (beams 1 when unset).
    public let beamDefaults: Seq2SeqBeamSettings
    public var configuredBeams: Int { beamDefaults.beams }
    /// New tokens the config allows: `max_new_tokens`, else `max_length` less the start token
    /// (bart-large-cnn: 142 − 1); nil when it sets neither.
    public let configuredMaxTokens: Int?
    public let location: String

    public convenience init(folder: String) throws(EngineError) {
        let config = try HFConfig(path: (folder as NSString).appendingPathComponent("config.json"))
        try self.init(folder: folder, config: config, store: CheckpointFiles.open(folder: folder))
    }

    public init(folder: String, config: HFConfig, store: TensorStore) throws(EngineError) {
        let network: any Seq2SeqNetwork
        switch config.modelType {
        case "bart": network = try BartModel(store: store, config: BartModel.Config(config))
        case "t5": network = try T5Model(store: store, config: T5Model.Config(config))
        default: throw .unsupported("\(config.path): model_type '\(config.modelType)' is not an encoder-decoder the engine runs")
        }
        let generationPath = (folder as NSString).appendingPathComponent("generation_config.json")
        let hasGenerationConfig = FileManager.default.fileExists(atPath: generationPath)
        let rules = hasGenerationConfig ? try HFConfig(path: generationPath) : config
        var settings = network.decoderSettings
        let vocabulary = settings.vocabularySize
        func token(_ key: String) throws(EngineError) -> Int32?? {
            guard rules.json[key] != nil else { return .none }
            guard let id = try rules.int(key) else { return .some(nil) }
            guard id >= 0, id < vocabulary, let narrow = Int32(exactly: id) else {
                throw .file(rules.path, "`\(key)` \(id) is outside the vocabulary of \(vocabulary)")
            }
            return .some(narrow)
        }
        if case .some(let start?) = try token("decoder_start_token_id") { settings.startToken = start }
        if case .some(let first) = try token("forced_bos_token_id") { settings.forcedFirstToken = first }
        if case .some(let last) = try token("forced_eos_token_id") { settings.forcedLastToken = last }
        let ends = try rules.tokenIDs("eos_token_id").compactMap { Int32(exactly: $0) }
        if !ends.isEmpty { settings.endTokens = Set(ends) }
        settings.minLength = max(0, try rules.int("min_length") ?? 0)
        settings.noRepeatNgramSize = max(0, try rules.int("no_repeat_ngram_size") ?? 0)
        beamDefaults = try Self.beamSettings(rules)
        if let newTokens = try rules.int("max_new_tokens") {
            configuredMaxTokens = max(0, newTokens)
        } else {
            configuredMaxTokens = try rules.int("max_length").map { max(0, $0 - 1) }
        }
        generationDefaults = hasGenerationConfig ? try HFGenerationConfig(path: generationPath) : HFGenerationConfig()
        self.settings = settings
        self.network = network
        tokenizer = try TokenizerLoader.load(directory: folder)
        location = folder
    }

    /// Ids of a source or target text with the tokenizer's special-token rules (BART: `<s> … </s>`,
    /// T5: `… </s>`), as transformers' tokenizers encode inputs and labels.
    public func encode(_ text: String) -> [Int32] { tokenizer.encode(text, addSpecial: true) }

    /// The checkpoint's sampling settings when its generation config samples, else greedy.
    public func defaultSampler(seed: UInt64 = 0) -> SamplerSettings {
        let d = generationDefaults
        guard d.doSample == true else { return SamplerSettings(seed: seed) }
        return SamplerSettings(temperature: d.temperature ?? 1, topK: d.topK ?? 50, topP: d.topP ?? 1,
                               repetitionPenalty: d.repetitionPenalty ?? 1, seed: seed)
    }

    /// The beam count a request runs with: `beams` when given, else the checkpoint's `num_beams`
    /// for deterministic requests and 1 when sampling. Beam search is deterministic only.
    public func effectiveBeams(_ beams: Int?, sampler: SamplerSettings) throws(EngineError) -> Int {
        guard let beams else { return sampler.temperature == 0 ? configuredBeams : 1 }
        guard beams >= 1 else { throw .invalidArgument("beams must be >= 1, got \(beams)") }
        if beams > 1 && sampler.temperature != 0 {
            throw .invalidArgument("beam search (beams: \(beams)) does not sample; use temperature: 0 or beams: 1")
        }
        return beams
    }

    /// One output per source text, each generated on its own (so it does not depend on the others):
    /// beam search when `effectiveBeams` is above 1 (the repetition penalty applies to its
    /// log-probabilities), else greedy or sampled decoding.
    public func generate(_ sources: [String], sampler: SamplerSettings, maxTokens: Int, stop: [String],
                         beams: Int? = nil) throws(EngineError) -> [GenerationResult] {
        let codec = TokenizerTextCodec(tokenizer)
        let width = try effectiveBeams(beams, sampler: sampler)
        var beam = beamDefaults
        beam.beams = width
        beam.repetitionPenalty = sampler.repetitionPenalty
        var results: [GenerationResult] = []
        for (i, text) in sources.enumerated() {
            let ids = encode(text)
            guard !ids.isEmpty else { throw .invalidArgument("source \(i + 1) encodes to no tokens") }
            if width > 1 {
                results.append(try Seq2SeqBeamSearch.generate(network, source: ids, settings: settings, beam: beam,
                                                              maxTokens: maxTokens, stopStrings: stop, codec: codec).generation)
            } else {
                results.append(try Seq2SeqGeneration.generate(network, source: ids, settings: settings, sampler: sampler,
                                                              maxTokens: maxTokens, stopStrings: stop, codec: codec))
            }
        }
        return results
    }

    /// `num_beams`, `length_penalty` and `early_stopping` (true, false or "never") of a generation
    /// config, with transformers' defaults (1, 1.0, false).
    static func beamSettings(_ rules: HFConfig) throws(EngineError) -> Seq2SeqBeamSettings {
        var settings = Seq2SeqBeamSettings(beams: max(1, try rules.int("num_beams") ?? 1))
        settings.lengthPenalty = try rules.double("length_penalty") ?? 1
        guard settings.lengthPenalty.isFinite else { throw .file(rules.path, "`length_penalty` must be finite") }
        if rules.string("early_stopping") == "never" {
            settings.earlyStopping = .never
        } else if let early = try rules.bool("early_stopping") {
            settings.earlyStopping = early ? .whenFull : .heuristic
        }
        return settings
    }

    /// log p(target | source): both texts encoded with special tokens, every target token scored
    /// (BARTScore's direction and tokenization).
    public func logProbability(source: String, target: String) throws(EngineError) -> LogProbability {
        let sourceIDs = encode(source), targetIDs = encode(target)
        guard !targetIDs.isEmpty else { throw .invalidArgument("the target encodes to no tokens") }
        return try network.logProbability(source: sourceIDs, target: targetIDs)
    }
}
