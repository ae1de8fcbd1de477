/// `logprob` over the API: the legacy completions call with `echo: true, logprobs: 1,
/// max_tokens: 0` returns the prompt's own tokens with their log-probabilities and character
/// offsets; the continuation's share is read off by offset. Servers without prompt
/// log-probabilities (OpenAI's current models, llama.cpp's server) get a clear error.
/// Matches: GPTScore's use of `echo` + `logprobs` (seed-reference: GPT3_score), and the local
/// `CausalLanguageModel.logProbability` in moving the context's trailing spaces to the continuation.
extension OpenAIClient {
    public func logProbability(context: String, continuation: String) throws(RemoteError) -> LogProbability {
        let trimmed = String(context.reversed().drop { $0 == " " }.reversed())
        let boundary = trimmed.unicodeScalars.count
        let prompt = context + continuation
        let length = prompt.unicodeScalars.count
        guard length > boundary else { throw .invalidArgument("logprob needs a non-empty continuation") }
        var request = OpenAIWire.Request(model: endpoint.modelName, sampling: RemoteSampling(maxTokens: 0))
        request.prompt = prompt
        request.echo = true
        request.logprobs = 1
        let name = endpoint.description
        let reply: OpenAIWire.Reply
        do {
            reply = try send("completions", request)
        } catch {
            if case .http(_, let status, let message) = error, (400..<500).contains(status), ![401, 403, 408, 429].contains(status) {
                throw .unsupported(name, "the server refused a prompt log-probability request (echo: true, logprobs: 1, max_tokens: 0): HTTP \(status): \(message)")
            }
            throw error
        }
        guard let block = reply.choices.first?.logprobs, let offsets = block.textOffset, let values = block.tokenLogprobs,
              offsets.count == values.count, !offsets.isEmpty else {
            throw .unsupported(name, "the server returned no prompt log-probabilities; `logprob` needs a server that answers `echo` with `logprobs` (vLLM, `align serve`)")
        }
        var scores: [Double] = []
        for (i, start) in offsets.enumerated() where start < length {
            let end = i + 1 < offsets.count ? min(offsets[i + 1], length) : length
            guard end > boundary else { continue }
            guard let value = values[i] else {
                throw .malformedResponse(name, "token \(i) of the echoed prompt has no log-probability")
            }
            scores.append(value)
        }
        guard !scores.isEmpty else {
            throw .malformedResponse(name, "the echoed prompt's tokens do not reach the continuation (offsets end at \(offsets.last ?? 0), continuation starts at \(boundary))")
        }
        let total = scores.reduce(0, +)
        return LogProbability(total: total, mean: total / Double(scores.count), tokens: scores)
    }
}
