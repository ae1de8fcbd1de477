import Foundation

/// Where and how to reach an OpenAI-compatible server (vLLM, llama.cpp's server, TGI,
/// `align serve`): the `/v1` base URL, the served model's name and the client's limits.
/// The API key is kept out of `description` so handles, errors and manifests never show it.
public struct RemoteEndpoint: Sendable, CustomStringConvertible {
    /// The base URL ending in the API version, e.g. `http://127.0.0.1:8080/v1` (no trailing `/`).
    public let baseURL: String
    /// The `model` field of every request: the name the server serves the model under.
    public let modelName: String
    /// Requests in flight at once for a list of prompts.
    public let concurrency: Int
    /// Seconds one HTTP request may take before it is abandoned (and retried).
    public let timeout: Double
    /// Extra attempts after a retryable failure (429, 5xx, timeout, lost connection).
    public let retries: Int
    /// The first retry's delay in seconds; later ones double, up to `maximumBackoff`.
    public let initialBackoff: Double
    /// The longest wait between two attempts, in seconds (also caps a server's `Retry-After`).
    public let maximumBackoff: Double
    let apiKey: String?

    /// Checks the URL and limits; the key comes from the caller (the language reads an environment
    /// variable) and is sent as `Authorization: Bearer …`.
    public init(baseURL: String, modelName: String, apiKey: String? = nil, concurrency: Int = 4,
                timeout: Double = 600, retries: Int = 4,
                initialBackoff: Double = 0.5, maximumBackoff: Double = 30) throws(RemoteError) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw .invalidConfiguration("'\(baseURL)' is not an http(s) URL such as http://127.0.0.1:8080/v1")
        }
        guard !modelName.isEmpty else { throw .invalidConfiguration("the model name must not be empty") }
        guard (1...256).contains(concurrency) else {
            throw .invalidConfiguration("concurrency must be between 1 and 256, got \(concurrency)")
        }
        guard timeout > 0, timeout.isFinite else { throw .invalidConfiguration("timeout must be > 0 seconds, got \(timeout)") }
        guard (0...20).contains(retries) else { throw .invalidConfiguration("retries must be between 0 and 20, got \(retries)") }
        guard initialBackoff >= 0, maximumBackoff >= initialBackoff, maximumBackoff.isFinite else {
            throw .invalidConfiguration("backoff must satisfy 0 <= initial <= maximum")
        }
        self.baseURL = base
        self.modelName = modelName
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.concurrency = concurrency
        self.timeout = timeout
        self.retries = retries
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    /// Whether requests carry a bearer key (shown as a yes/no, never the key).
    public var sendsKey: Bool { apiKey != nil }

    /// The URL of an API route such as `completions` or `chat/completions`.
    func url(_ route: String) -> URL? { URL(string: baseURL + "/" + route) }

    /// What handles, errors and manifests show: URL and model name, never the key.
    public var description: String { "\(baseURL) (model \(modelName))" }

    /// The identity the result cache and manifests use in place of a weights digest.
    public var identity: String { "openai:\(baseURL)#\(modelName)" }
}
