import AlignEngine
import Foundation

/// The OpenAI-compatible API over one causal LM: routes, bearer authentication, the model check
/// and the request limits. Generation goes through the shared `ContinuousBatcher`.
public final class OpenAIService: HTTPHandler, @unchecked Sendable {
    public struct Limits: Sendable {
        /// Longest prompt accepted, in tokens.
        public var maxPromptTokens: Int
        /// Largest `max_tokens` accepted.
        public var maxTokens: Int
        /// Prompts × `n` in one request.
        public var maxSequencesPerRequest: Int

        public init(maxPromptTokens: Int, maxTokens: Int, maxSequencesPerRequest: Int = 64) {
            self.maxPromptTokens = maxPromptTokens
            self.maxTokens = maxTokens
            self.maxSequencesPerRequest = maxSequencesPerRequest
        }
    }

    /// The name clients put in `model`.
    public let modelID: String
    let lm: CausalLanguageModel
    let batcher: ContinuousBatcher
    let limits: Limits
    private let apiKey: [UInt8]?
    let created = Int(Date().timeIntervalSince1970)

    /// `apiKey`: when set, every `/v1/` route needs `Authorization: Bearer <key>`.
    public init(modelID: String, lm: CausalLanguageModel, batcher: ContinuousBatcher, limits: Limits, apiKey: String?) {
        self.modelID = modelID
        self.lm = lm
        self.batcher = batcher
        self.limits = limits
        self.apiKey = apiKey.map { Array($0.utf8) }
    }

    /// Routes: `GET /health`, `GET /v1/models[/ID]`, `POST /v1/completions`, `POST /v1/chat/completions`.
    static let routes: [(path: String, method: String)] = [
        ("/health", "GET"), ("/v1/models", "GET"), ("/v1/completions", "POST"), ("/v1/chat/completions", "POST"),
    ]

    public func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        do {
            try route(request, responder)
        } catch {
            responder.send(error.response)
        }
    }

    private func route(_ request: HTTPRequest, _ responder: HTTPResponder) throws(APIError) {
        let path = request.path.count > 1 && request.path.hasSuffix("/") ? String(request.path.dropLast()) : request.path
        let isModel = path.hasPrefix("/v1/models/")
        guard let method = isModel ? "GET" : Self.routes.first(where: { $0.path == path })?.method else {
            throw APIError(status: 404, message: "no route \(request.method) \(path.prefix(100))", code: "not_found")
        }
        guard request.method == method else {
            responder.send(APIError(status: 405, message: "\(path) takes \(method), not \(request.method.prefix(20))",
                                    code: "method_not_allowed").response.adding(("Allow", method)))
            return
        }
        if path != "/health" { try authorize(request) }
        switch path {
        case "/health":
            let load = batcher.load
            responder.send(.json(200, .object([("status", .string("ok")), ("model", .string(modelID)),
                                               ("active", .int(load.active)), ("queued", .int(load.queued))])))
        case "/v1/models":
            responder.send(.json(200, OpenAIResponses.models(id: modelID, created: created)))
        case "/v1/completions":
            try completions(request, responder)
        case "/v1/chat/completions":
            try chatCompletions(request, responder)
        default:
            let id = String(path.dropFirst("/v1/models/".count))
            try checkModel(id.removingPercentEncoding ?? id)
            responder.send(.json(200, OpenAIResponses.model(id: modelID, created: created)))
        }
    }

    /// Compares the bearer token in constant time (no early exit on the first differing byte).
    private func authorize(_ request: HTTPRequest) throws(APIError) {
        guard let apiKey else { return }
        let header = request.header("authorization") ?? ""
        let given = header.lowercased().hasPrefix("bearer ") ? Array(header.dropFirst(7).utf8) : []
        var difference = given.count == apiKey.count ? 0 : 1
        for (i, byte) in apiKey.enumerated() { difference |= Int(byte ^ (i < given.count ? given[i] : 0)) }
        guard difference == 0 else {
            throw APIError(status: 401, message: header.isEmpty ? "missing API key (send `Authorization: Bearer <key>`)" : "invalid API key",
                           code: "invalid_api_key")
        }
    }

    /// A request naming another model is a 404, as OpenAI answers; leaving `model` out is allowed.
    func checkModel(_ name: String?) throws(APIError) {
        guard let name, name != modelID else { return }
        throw APIError(status: 404, message: "the model `\(name.prefix(100))` does not exist; this server serves `\(modelID)`",
                       code: "model_not_found", param: "model")
    }

    /// Refuses prompts and lengths beyond the server's limits or the model's context.
    func checkLengths(_ prompts: [[Int32]], maxTokens: Int) throws(APIError) {
        if maxTokens > limits.maxTokens {
            throw .invalid("`max_tokens` is \(maxTokens), more than this server's limit of \(limits.maxTokens)", param: "max_tokens")
        }
        for ids in prompts {
            if ids.count > limits.maxPromptTokens {
                throw .invalid("the prompt is \(ids.count) tokens, more than this server's limit of \(limits.maxPromptTokens)",
                               param: "prompt", code: "context_length_exceeded")
            }
            if ids.count + maxTokens > batcher.contextLength {
                throw .invalid("the prompt (\(ids.count) tokens) + max_tokens (\(maxTokens)) exceeds the model's context of \(batcher.contextLength) tokens",
                               param: "max_tokens", code: "context_length_exceeded")
            }
        }
    }

    /// Prompt-major, choice-minor submissions (choice index = prompt × n + copy, as OpenAI numbers them).
    func submissions(_ prompts: [[Int32]], _ p: GenerationParameters, maxTokens: Int,
                     promptLogprobs: Bool) throws(APIError) -> [ContinuousBatcher.Submission] {
        guard prompts.count * p.n <= limits.maxSequencesPerRequest else {
            throw .invalid("\(prompts.count) prompts × n = \(p.n) is more than \(limits.maxSequencesPerRequest) sequences per request")
        }
        return prompts.flatMap { ids in
            (0..<p.n).map { copy in
                ContinuousBatcher.Submission(
                    request: GenerationRequest(prompt: .tokens(ids), sampler: p.sampler(copy: copy), maxTokens: maxTokens,
                                               stopStrings: p.stop, stopAtEndOfGeneration: !p.ignoreEOS),
                    sampledLogprobs: p.logprobs, promptLogprobs: promptLogprobs)
            }
        }
    }

    func envelope(_ prefix: String) -> OpenAIResponses.Envelope {
        let id = prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(24)
        return OpenAIResponses.Envelope(id: id, created: Int(Date().timeIntervalSince1970), model: modelID)
    }
}

extension HTTPResponse {
    func adding(_ header: (name: String, value: String)) -> HTTPResponse {
        var copy = self
        copy.headers.append(header)
        return copy
    }
}
