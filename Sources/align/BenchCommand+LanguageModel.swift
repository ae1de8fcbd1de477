import AlignEngine
import Foundation

/// Prompt (prefill) and greedy decode throughput of a causal LM, plus load time and peak RSS.
struct LanguageModelBench {
    let id: String
    let options: ModelLoadOptions
    let prompts: [Int]
    let decode: Int
    let reps: Int

    /// Prompt ids every engine in `scripts/bench` is fed: a fixed walk through the vocabulary that
    /// skips the first 100 ids (special tokens live there in most vocabularies).
    static func syntheticPrompt(length: Int, vocabulary: Int) -> [Int32] {
        guard vocabulary > 200 else { return (0..<length).map { Int32($0 % max(vocabulary, 1)) } }
        return (0..<length).map { Int32(100 + ($0 * 7919 + 17) % (vocabulary - 200)) }
    }

    func load() throws(EngineError) -> (CausalLanguageModel, LoadedModel, Double) {
        let start = BenchClock.now()
        let loaded = try ModelCache.shared.model(id, options: options)
        guard let lm = loaded.causalLM else {
            throw .invalidArgument("\(id) is a \(loaded.kindName), not a causal LM; use --encoder for encoders")
        }
        return (lm, loaded, BenchClock.now() - start)
    }

    /// Loads, generates `tokens` greedy tokens after a 16-token prompt, and returns: the caller's
    /// process is timed from outside.
    func startup(tokens: Int) throws(EngineError) {
        let (lm, _, _) = try load()
        let model = lm.model
        var ids = Self.syntheticPrompt(length: 16, vocabulary: model.config.vocabSize)
        let cache = model.makeCache()
        var logits = try model.forward(tokens: ids, cache: cache)
        for _ in 0..<tokens {
            let next = Self.argmax(logits)
            ids.append(next)
            logits = try model.forward(tokens: [next], cache: cache)
        }
        BenchClock.progress("generated \(tokens) tokens")
    }

    func run() throws(EngineError) -> BenchReport {
        let (lm, loaded, loadSeconds) = try load()
        let model = lm.model
        let vocabulary = model.config.vocabSize
        let longest = (prompts.max() ?? 0) + decode + 16
        guard longest <= model.config.maxPositions else {
            throw .invalidArgument("prompt + decode needs \(longest) positions; \(id) has \(model.config.maxPositions)")
        }
        // The longest single sequence measured: the longest prompt, or the decode run's prompt + tokens.
        let longestSequence = max(prompts.max() ?? 0, decode > 0 ? (prompts.first ?? 16) + decode : 0)
        var report = BenchReport()
        report.facts = [("model", loaded.file), ("weights", loaded.quantization),
                        ("threads", String(options.threads ?? WorkerPool.shared.threadCount)),
                        ("load_seconds", String(format: "%.3f", loadSeconds))]
        // One untimed pass so first-touch page faults of the mapping are not charged to a measure.
        _ = try model.forward(tokens: Self.syntheticPrompt(length: 16, vocabulary: vocabulary), cache: model.makeCache())

        var promptRates = [[Double]](repeating: [], count: prompts.count)
        var decodeRates: [Double] = []
        for rep in 1...reps {
            BenchClock.progress("rep \(rep)/\(reps)")
            for (k, length) in prompts.enumerated() {
                let ids = Self.syntheticPrompt(length: length, vocabulary: vocabulary)
                let cache = model.makeCache()
                let start = BenchClock.now()
                _ = try model.forward(tokens: ids, cache: cache)
                promptRates[k].append(Double(length) / (BenchClock.now() - start))
            }
            if decode > 0 {
                decodeRates.append(try decodeRate(model, promptLength: prompts.first ?? 16))
            }
        }
        for (k, length) in prompts.enumerated() {
            report.rows.append(.init(name: "prompt_\(length)", unit: "tok/s", samples: promptRates[k]))
        }
        if decode > 0 { report.rows.append(.init(name: "decode_\(decode)", unit: "tok/s", samples: decodeRates)) }
        report.facts.append(("peak_rss_mib", String(format: "%.1f", BenchClock.peakRSSMiB())))
        report.facts.append(("kv_cache_mib", String(format: "%.1f", Self.kvCacheMiB(model, positions: longestSequence))))
        return report
    }

    /// Greedy tokens per second after a prompt of `promptLength` tokens; end-of-sequence is ignored
    /// so every run decodes exactly `decode` tokens.
    private func decodeRate(_ model: LlamaModel, promptLength: Int) throws(EngineError) -> Double {
        let cache = model.makeCache()
        var logits = try model.forward(tokens: Self.syntheticPrompt(length: promptLength, vocabulary: model.config.vocabSize),
                                       cache: cache)
        let start = BenchClock.now()
        for _ in 0..<decode {
            logits = try model.forward(tokens: [Self.argmax(logits)], cache: cache)
        }
        return Double(decode) / (BenchClock.now() - start)
    }

    /// Resident size of one sequence's KV cache after `positions` positions: keys and values of
    /// every layer, f16 in `.fast` precision and f32 in `.exact` (what `LlamaKVCache` stores).
    static func kvCacheMiB(_ model: LlamaModel, positions: Int) -> Double {
        let c = model.config
        let bytes = positions * 2 * c.layerCount * c.kvDim * (model.precision == .fast ? 2 : 4)
        return Double(bytes) / 1_048_576
    }

    /// The first index of the largest logit (greedy decoding's choice).
    static func argmax(_ logits: [Float]) -> Int32 {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return Int32(best)
    }
}
