/// Errors of the OpenAI-compatible client. Each names the endpoint and what the server said, so a
/// script sees `http://host:8080/v1 (model m): HTTP 400: max_tokens must be at least 1`.
public enum RemoteError: Error, CustomStringConvertible, Sendable {
    /// A bad URL, name or limit given to `model("openai:…")`.
    case invalidConfiguration(String)
    /// The server answered with an error status: (endpoint, status, the server's message).
    case http(String, Int, String)
    /// No answer: connection refused or lost, DNS, TLS, or the per-request timeout: (endpoint, why).
    case transport(String, String, timedOut: Bool)
    /// The server answered 2xx with a body that is not the expected JSON: (endpoint, what is wrong).
    case malformedResponse(String, String)
    /// The server lacks something the call needs (e.g. prompt log-probabilities): (endpoint, what).
    case unsupported(String, String)
    /// A bad argument caught before any request was sent.
    case invalidArgument(String)
    /// The caller's `Cancellation` check fired (Ctrl-C): the request in flight was abandoned.
    case cancelled

    public var description: String {
        switch self {
        case .invalidConfiguration(let message): return "openai endpoint: \(message)"
        case .http(let endpoint, let status, let message):
            let hint = switch status {
            case 401, 403: " (check the API key: `api_key_env:` names the environment variable holding it)"
            case 404: " (check the URL ends in /v1 and `name:` is a model the server serves)"
            default: ""
            }
            return "\(endpoint): HTTP \(status): \(message)\(hint)"
        case .transport(let endpoint, let why, let timedOut):
            return timedOut ? "\(endpoint): no answer within the timeout (\(why))" : "\(endpoint): \(why)"
        case .malformedResponse(let endpoint, let what): return "\(endpoint): unexpected reply: \(what)"
        case .unsupported(let endpoint, let what): return "\(endpoint): \(what)"
        case .invalidArgument(let message): return message
        case .cancelled: return "interrupted"
        }
    }

    /// Whether another attempt may succeed: rate limits, server errors, timeouts and lost
    /// connections. 4xx other than 408/429, bad replies and bad arguments are final.
    var isRetryable: Bool {
        switch self {
        case .http(_, let status, _): return status == 408 || status == 429 || (500...599).contains(status)
        case .transport: return true
        default: return false
        }
    }

    /// The same error naming which request of a list failed (`prompt 3 of 10`) after the endpoint.
    func naming(_ request: String) -> RemoteError {
        let at = { (endpoint: String) in "\(endpoint), \(request)" }
        switch self {
        case .http(let e, let s, let m): return .http(at(e), s, m)
        case .transport(let e, let w, let t): return .transport(at(e), w, timedOut: t)
        case .malformedResponse(let e, let w): return .malformedResponse(at(e), w)
        case .unsupported(let e, let w): return .unsupported(at(e), w)
        case .invalidArgument(let m): return .invalidArgument("\(request): \(m)")
        case .invalidConfiguration, .cancelled: return self
        }
    }
}
