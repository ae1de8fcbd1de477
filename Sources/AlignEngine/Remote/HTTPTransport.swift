import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange as the client needs it: a JSON POST answered by a status, headers and body.
/// A protocol so tests can script answers without a socket; `URLSessionTransport` is the real one.
public protocol HTTPTransport: Sendable {
    /// Sends `body` to `url`; returns the answer or throws `.transport` (nothing usable came back).
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

/// HTTP over Foundation's `URLSession`, which on Linux is libcurl: https with the system's
/// certificates (clusters usually sit behind a TLS ingress), keep-alive pooling, proxies from the
/// usual environment variables. Our own socket code would give plain http only, so it is not used.
/// The timeout is enforced here as a wall-clock deadline: libcurl's idle timer counts whole
/// seconds, and a completion request is idle until its text is ready anyway.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession

    public init(connectionsPerHost: Int) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = max(connectionsPerHost, 1)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    public func post(_ url: URL, body: Data, headers: [String: String], timeout: Double) throws(RemoteError) -> HTTPAnswer {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.timeoutInterval = timeout + 1
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        let task = session.dataTask(with: request) { data, response, error in
            outcome.set(data: data, response: response, error: error)
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            task.cancel()
            done.wait()
            throw .transport(url.absoluteString, "timed out after \(Self.seconds(timeout))", timedOut: true)
        }
        return try outcome.answer(url)
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }

    /// What the completion handler saw, handed from libcurl's queue to the waiting caller.
    private final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var data: Data?
        private var response: URLResponse?
        private var error: (any Error)?

        func set(data: Data?, response: URLResponse?, error: (any Error)?) {
            lock.lock()
            defer { lock.unlock() }
            self.data = data
            self.response = response
            self.error = error
        }

        func answer(_ url: URL) throws(RemoteError) -> HTTPAnswer {
            lock.lock()
            defer { lock.unlock() }
            if let error {
                let code = (error as? URLError)?.code
                let why = code == .cannotConnectToHost ? "cannot connect (is the server running?)" : error.localizedDescription
                throw .transport(url.absoluteString, why, timedOut: code == .timedOut)
            }
            guard let http = response as? HTTPURLResponse else {
                throw .transport(url.absoluteString, "no HTTP response", timedOut: false)
            }
            let retryAfter = http.value(forHTTPHeaderField: "Retry-After").flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            return HTTPAnswer(status: http.statusCode, body: data ?? Data(), retryAfter: retryAfter)
        }
    }
}
