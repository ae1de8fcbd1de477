/// One scheduling step: a single forward pass that decodes every live sequence by one token and
/// prefills the waiting prompts within the step's prompt-token budget.
extension ContinuousBatcher {
    /// A prompt piece going into this step's pass.
    private struct Prefill {
        let sequence: BatchedSequence
        let count: Int
    }

    /// Samples each live sequence's next token, then runs its decode row together with the
    /// prompt pieces that fit the budget in one `forward`. A prompt that must keep a pass of its
    /// own (see `prefillsAlone`) is run before, alone.
    func step(_ sequences: [BatchedSequence]) {
        var inputs: [LlamaModel.Input] = []
        var decoding: [BatchedSequence] = []
        for s in sequences where s.isPrefilled && !s.isDone && !s.cancelled.load(ordering: .relaxed) {
            s.sampleNext(codec: codec)
            if !s.isDone {
                inputs.append(.init(tokens: [s.tokens[s.tokens.count - 1]], cache: s.cache))
                decoding.append(s)
            }
        }
        var budget = limits.prefillTokensPerStep
        var prefills: [Prefill] = []
        for s in sequences where !s.isPrefilled && !s.isDone && budget > 0 && !s.cancelled.load(ordering: .relaxed) {
            guard s.prefilled > 0 || start(s) else { continue }
            if prefillsAlone(s) {
                budget -= prefillAlone(s)
                continue
            }
            // Prompt logprobs need every position's logits: pieces of 128 bound that memory.
            let count = min(s.prompt.count - s.prefilled, budget, s.submission.promptLogprobs ? 128 : Int.max)
            inputs.append(.init(tokens: Array(s.prompt[s.prefilled..<(s.prefilled + count)]), cache: s.cache,
                                allLogits: s.submission.promptLogprobs))
            prefills.append(Prefill(sequence: s, count: count))
            budget -= count
        }
        guard !inputs.isEmpty else { return }
        do {
            let logits = try model.forward(inputs)
            for (s, row) in zip(decoding, logits) { s.logits = row }
            for (p, output) in zip(prefills, logits[decoding.count...]) {
                p.sequence.absorbPrefill(output, count: p.count, vocabulary: model.config.vocabSize, codec: codec)
            }
        } catch {
            for s in decoding { s.fail(error) }
            for p in prefills { p.sequence.fail(error) }
        }
    }

    /// Checks a new sequence and finishes the ones with nothing to compute. False: it is done.
    private func start(_ s: BatchedSequence) -> Bool {
        if let problem = validate(s.submission.request, prompt: s.prompt) {
            s.fail(problem)
            return false
        }
        if s.submission.request.maxTokens == 0 && !s.submission.promptLogprobs {
            s.finish(.maxTokens, codec: codec)
            return false
        }
        return true
    }

    /// Whether `s`'s prompt must be prefilled in a pass of its own to get `Generator`'s numbers:
    /// a lone sequence's prefill of `sgemmMinimumRows` rows or more may go through sgemm, which
    /// agrees with the row kernels only to rounding. Shorter prompts never do.
    private func prefillsAlone(_ s: BatchedSequence) -> Bool {
        !promptsShareExactly && s.prompt.count >= QuantizedMatrix.sgemmMinimumRows
    }

    /// Prefills (part of) `s`'s prompt in a pass of its own, as `Generator` does: the whole
    /// prompt at once (pieces of 128 for prompt logprobs). Returns the tokens used.
    private func prefillAlone(_ s: BatchedSequence) -> Int {
        let count = s.submission.promptLogprobs ? min(s.prompt.count - s.prefilled, 128) : s.prompt.count
        do {
            let input = LlamaModel.Input(tokens: Array(s.prompt[s.prefilled..<(s.prefilled + count)]), cache: s.cache,
                                         allLogits: s.submission.promptLogprobs)
            let logits = try model.forward([input])[0]
            s.absorbPrefill(logits, count: count, vocabulary: model.config.vocabSize, codec: codec)
        } catch {
            s.fail(error)
        }
        return count
    }

    /// True when every product of `model` runs on the int8 row kernels (`.fast` precision with
    /// int8-capable weights): those compute each row the same way whatever the rows beside it
    /// (see `Int8PackedMatrix.multiply`), and never switch to sgemm, so a prompt's piece
    /// in a shared pass gets the numbers of a pass of its own.
    static func sharesPassesExactly(_ model: LlamaModel) -> Bool {
        guard model.precision == .fast else { return false }
        let products = model.layers.flatMap { [$0.query, $0.key, $0.value, $0.attentionOutput, $0.gate, $0.up, $0.down] }
        return (products + [model.output]).allSatisfy(\.hasInt8Kernel)
    }

    func validate(_ request: GenerationRequest, prompt: [Int32]) -> EngineError? {
        do { try request.sampler.validate() } catch { return error }
        guard !prompt.isEmpty else { return .invalidArgument("the prompt is empty") }
        guard request.maxTokens >= 0 else { return .invalidArgument("max_tokens must be >= 0, got \(request.maxTokens)") }
        let vocabulary = model.config.vocabSize
        if let bad = prompt.first(where: { $0 < 0 || Int($0) >= vocabulary }) {
            return .invalidArgument("token id \(bad) is outside the vocabulary (0..<\(vocabulary))")
        }
        let (needed, overflow) = prompt.count.addingReportingOverflow(request.maxTokens)
        if overflow || needed > contextLength {
            return .invalidArgument("prompt of \(prompt.count) tokens + max_tokens \(request.maxTokens) exceeds the context of \(contextLength) tokens")
        }
        return nil
    }
}
