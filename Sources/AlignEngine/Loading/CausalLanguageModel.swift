import Foundation

/// A LLaMA-family causal LM with everything a script needs beside the weights: its tokenizer,
/// its chat template and the sampling defaults of its `generation_config.json`.
public final class CausalLanguageModel: @unchecked Sendable {
    public let model: LlamaModel
    public let tokenizer: any Tokenizer
    public let chatTemplate: ChatTemplate?
    /// The checkpoint's `generation_config.json` (empty for GGUF files, which carry none).
    public let generationDefaults: HFGenerationConfig
    /// Longest prompt + output, in tokens: the `context:` option or the trained maximum.
    public let contextLength: Int
    let generator: Generator

    init(model: LlamaModel, tokenizer: any Tokenizer, chatTemplate: ChatTemplate?,
         generationDefaults: HFGenerationConfig, context: Int?) {
        self.model = model
        self.tokenizer = tokenizer
        self.chatTemplate = chatTemplate
        self.generationDefaults = generationDefaults
        self.contextLength = context ?? model.config.maxPositions
        self.generator = Generator(model: model, codec: TokenizerTextCodec(tokenizer))
    }

    /// The sampler a request uses when the caller sets nothing: the checkpoint's own sampling
    /// settings when its generation config samples, else greedy — what transformers' `generate()`
    /// does with no decoding arguments (the seed's aligner inference relies on this).
    public func defaultSampler(seed: UInt64 = 0) -> SamplerSettings {
        let d = generationDefaults
        guard d.doSample == true else { return SamplerSettings(seed: seed) }
        return SamplerSettings(temperature: d.temperature ?? 1, topK: d.topK ?? 50, topP: d.topP ?? 1,
                               repetitionPenalty: d.repetitionPenalty ?? 1, seed: seed)
    }

    /// Prompt ids with the checkpoint's special-token rules (BOS when the tokenizer adds one).
    public func encode(_ text: String, addSpecial: Bool = true) -> [Int32] {
        tokenizer.encode(text, addSpecial: addSpecial)
    }

    /// Generates one output per prompt; prompt `i` uses `sampler[i]` (the last entry for the rest).
    /// `onEvent` sees each token of each sequence as it is sampled, for streaming.
    public func generate(_ prompts: [[Int32]], sampler: [SamplerSettings], maxTokens: Int, stop: [String],
                         onEvent: ((GenerationEvent) -> Void)? = nil) throws(EngineError) -> [GenerationResult] {
        var requests: [GenerationRequest] = []
        for (i, ids) in prompts.enumerated() {
            guard !ids.isEmpty else { throw .invalidArgument("prompt \(i + 1) encodes to no tokens") }
            let (needed, overflow) = ids.count.addingReportingOverflow(maxTokens)
            if overflow || needed > contextLength {
                throw .invalidArgument("prompt of \(ids.count) tokens + max_tokens \(maxTokens) exceeds the context of \(contextLength) tokens")
            }
            requests.append(GenerationRequest(prompt: .tokens(ids), sampler: sampler.isEmpty ? .greedy : sampler[min(i, sampler.count - 1)],
                                              maxTokens: maxTokens, stopStrings: stop))
        }
        return try generator.generate(requests, onEvent: onEvent)
    }

    /// The chat template applied to `messages`, ending with the assistant turn's opening.
    /// Matches: transformers `apply_chat_template(messages, add_generation_prompt=True, tokenize=False)`.
    public func chatPrompt(_ messages: [ChatMessage]) throws(EngineError) -> String {
        guard let chatTemplate else {
            throw .unsupported("\(model.location) has no chat template; use generate with a plain prompt")
        }
        let bos = tokenizer.bos.flatMap { tokenizer.piece(for: $0) } ?? ""
        let eos = tokenizer.eos.flatMap { tokenizer.piece(for: $0) } ?? ""
        return try chatTemplate.render(messages: messages, addGenerationPrompt: true, bosToken: bos, eosToken: eos)
    }

    /// Ids of a rendered chat prompt. The template writes any BOS itself, so no special tokens are
    /// added (as `apply_chat_template(tokenize=True)`).
    public func chatTokens(_ messages: [ChatMessage]) throws(EngineError) -> [Int32] {
        tokenizer.encode(try chatPrompt(messages), addSpecial: false)
    }

    /// log p(continuation | context) for texts. Trailing spaces of the context move to the
    /// continuation, the pair is encoded whole and the continuation is the ids after the context's
    /// own encoding, so a token spanning the boundary is scored as the model would produce it.
    /// Matches: lm-evaluation-harness `_encode_pair` + `loglikelihood`.
    public func logProbability(context: String, continuation: String) throws(EngineError) -> LogProbability {
        var context = context, continuation = continuation
        let spaces = context.reversed().prefix { $0 == " " }.count
        if spaces > 0 {
            continuation = String(context.suffix(spaces)) + continuation
            context = String(context.dropLast(spaces))
        }
        let contextIDs: [Int32], continuationIDs: [Int32]
        if context.isEmpty {
            guard let start = tokenizer.bos ?? tokenizer.eos else {
                throw .invalidArgument("logprob needs a non-empty context: this tokenizer has no BOS token to start from")
            }
            contextIDs = [start]
            continuationIDs = tokenizer.encode(continuation, addSpecial: false)
        } else {
            contextIDs = tokenizer.encode(context, addSpecial: true)
            continuationIDs = Array(tokenizer.encode(context + continuation, addSpecial: true).dropFirst(contextIDs.count))
        }
        let total = contextIDs.count + continuationIDs.count
        guard total <= contextLength else {
            throw .invalidArgument("context + continuation is \(total) tokens, more than the context of \(contextLength)")
        }
        return try model.logProbability(context: contextIDs, continuation: continuationIDs)
    }
}
