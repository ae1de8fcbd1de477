import Foundation

/// One HTTP exchange as the client needs it: a JSON POST answered by a status, headers and body.
/// A protocol so tests can script answers without a socket; `CurlTransport` is the real one.
public protocol HTTPTransport: Sendable {
    /// Sends `body` to `url`; returns the answer or throws `.transport` (nothing usable came back),
    /// `.cancelled` (the `Cancellation` check bound on this thread fired) or `.unsupported` (no
    /// HTTP client library).
    func post(_ url: URL, body: Data, headers: [String: String], timeout: Double) throws(RemoteError) -> HTTPAnswer
}

public struct HTTPAnswer: Sendable {
    public var status: Int
    public var body: Data
    /// `Retry-After` in seconds when the server sent one as a number.
    public var retryAfter: Double?

    public init(status: Int, body: Data, retryAfter: Double? = nil) {
        self.status = status
        self.body = body
        self.retryAfter = retryAfter
    }
}
