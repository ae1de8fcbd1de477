import Foundation

/// A model served over an OpenAI-compatible API: completions, chat and prompt log-probabilities,
/// each prompt of a list as its own request, `endpoint.concurrency` at a time, results in input
/// order. Nothing is sent until a call (creating a client does no network I/O).
public final class OpenAIClient: Sendable {
    public let endpoint: RemoteEndpoint
    let transport: any HTTPTransport

    /// `transport` defaults to libcurl (loaded by the first request); tests may pass their own.
    public init(endpoint: RemoteEndpoint, transport: (any HTTPTransport)? = nil) {
        self.endpoint = endpoint
        self.transport = transport ?? CurlTransport(connectionsPerHost: endpoint.concurrency)
    }

    /// `/v1/completions` for each prompt.
    public func complete(_ prompts: [String], sampling: RemoteSampling) throws(RemoteError) -> [RemoteCompletion] {
        try each(prompts.count, sampling, route: "completions") { i in
            var request = OpenAIWire.Request(model: self.endpoint.modelName, sampling: sampling)
            request.prompt = prompts[i]
            return request
        }
    }

    /// `/v1/chat/completions` for each conversation; the server applies the model's chat template.
    public func chat(_ conversations: [[ChatMessage]], sampling: RemoteSampling) throws(RemoteError) -> [RemoteCompletion] {
        try each(conversations.count, sampling, route: "chat/completions") { i in
            var request = OpenAIWire.Request(model: self.endpoint.modelName, sampling: sampling)
            request.messages = conversations[i].map { OpenAIWire.Message(role: $0.role, content: $0.content) }
            return request
        }
    }

    /// Sends the requests built by `make` and reads one choice from each answer.
    private func each(_ count: Int, _ sampling: RemoteSampling, route: String,
                      _ make: @escaping @Sendable (Int) -> OpenAIWire.Request) throws(RemoteError) -> [RemoteCompletion] {
        guard sampling.maxTokens >= 0 else { throw .invalidArgument("max_tokens must be >= 0, got \(sampling.maxTokens)") }
        if sampling.maxTokens == 0 { return Array(repeating: RemoteCompletion(text: "", finishReason: "length"), count: count) }
        let name = endpoint.description
        return try OrderedConcurrentMap.map(count, width: endpoint.concurrency) { i throws(RemoteError) in
            do throws(RemoteError) {
                let reply = try self.send(route, make(i))
                guard let choice = reply.choices.first else {
                    throw RemoteError.malformedResponse(name, "the reply has no choices")
                }
                guard let text = choice.text ?? choice.message?.content else {
                    throw RemoteError.malformedResponse(name, "the first choice has no text")
                }
                return RemoteCompletion(text: text, finishReason: choice.finishReason,
                                        completionTokens: reply.usage?.completionTokens)
            } catch {
                throw count > 1 ? error.naming("prompt \(i + 1) of \(count)") : error
            }
        }
    }
}

/// One generated text as the server returned it.
public struct RemoteCompletion: Sendable, Equatable {
    public var text: String
    /// `stop`, `length`, … as the server reports it (nil when it does not).
    public var finishReason: String?
    /// Generated tokens from the reply's `usage` when the server counts them.
    public var completionTokens: Int?

    public init(text: String, finishReason: String? = nil, completionTokens: Int? = nil) {
        self.text = text
        self.finishReason = finishReason
        self.completionTokens = completionTokens
    }
}
