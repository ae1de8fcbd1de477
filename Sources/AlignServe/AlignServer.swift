import AlignEngine

/// `align serve`: loads the model, starts the batcher and the HTTP server, and runs until a
/// stop request (SIGINT/SIGTERM), then drains: no new connections, running sequences get
/// `shutdownGrace` seconds to finish, and the call returns.
public enum AlignServer {
    public struct Options: Sendable {
        public var model: String
        public var host = "127.0.0.1"
        public var port = 8080
        /// The bearer token clients must send; nil: no authentication.
        public var apiKey: String?
        /// Sequences decoded together; more wait in a queue of `maxQueued`, then 429.
        public var maxConcurrent = 32
        public var maxQueued = 256
        public var maxBodyBytes = 1 << 20
        /// nil: the model's context length.
        public var maxPromptTokens: Int?
        public var maxTokens = 1024
        public var threads: Int?
        public var context: Int?
        public var shutdownGrace = 5.0

        public init(model: String) { self.model = model }
    }

    /// Serves until `stop` fires; `log` gets the ready line (with the URL) and the shutdown line.
    public static func run(_ options: Options, stop: StopRequest, log: (String) -> Void) throws(ServeError) {
        guard options.maxConcurrent >= 1 else { throw .startup("--max-concurrent must be at least 1, got \(options.maxConcurrent)") }
        guard options.maxQueued >= 0 else { throw .startup("--max-queue must be >= 0, got \(options.maxQueued)") }
        guard options.maxBodyBytes >= 1 else { throw .startup("--max-body must be at least 1 byte, got \(options.maxBodyBytes)") }
        guard options.maxTokens >= 0 else { throw .startup("--max-tokens must be >= 0, got \(options.maxTokens)") }
        if let n = options.maxPromptTokens, n < 1 { throw .startup("--max-prompt-tokens must be at least 1, got \(n)") }
        let loaded: LoadedModel
        do {
            loaded = try ModelCache.shared.model(options.model, options: ModelLoadOptions(threads: options.threads, context: options.context))
        } catch {
            throw .startup("cannot load model `\(options.model)`: \(error.description)")
        }
        guard let lm = loaded.causalLM else {
            throw .startup("`\(options.model)` is a \(loaded.kindName), not a causal LM; align serve needs a model that generates text")
        }
        let batcher = ContinuousBatcher(model: lm.model, codec: TokenizerTextCodec(lm.tokenizer), contextLength: lm.contextLength,
                                        limits: .init(maxActive: options.maxConcurrent, maxQueued: options.maxQueued))
        let limits = OpenAIService.Limits(maxPromptTokens: options.maxPromptTokens ?? batcher.contextLength, maxTokens: options.maxTokens)
        let service = OpenAIService(modelID: options.model, lm: lm, batcher: batcher, limits: limits, apiKey: options.apiKey)
        let server = try HTTPServer(options: .init(host: options.host, port: options.port, maxBodyBytes: options.maxBodyBytes),
                                    handler: service)
        let host = options.host.contains(":") ? "[\(options.host)]" : options.host
        log("align serve: \(options.model) (\(loaded.parameterText), \(loaded.quantization)) ready at http://\(host):\(server.port)/v1")
        server.run(until: stop)
        log("align serve: shutting down")
        batcher.shutdown(grace: options.shutdownGrace)
        server.waitForRequests(timeout: 2)
    }
}
