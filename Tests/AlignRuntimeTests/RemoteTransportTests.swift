import AlignEngine
import Foundation
import Testing

/// `CurlTransport` over real loopback sockets (`RemoteTestServer`): status, body and
/// `Retry-After`, keep-alive reuse, the timeout, a closed port, Ctrl-C through `Cancellation`,
/// and a missing libcurl.
@Suite struct RemoteTransportTests {
    static func post(_ transport: CurlTransport, _ server: RemoteTestServer, timeout: Double = 5) throws(RemoteError) -> HTTPAnswer {
        let url = URL(string: server.baseURL + "/completions") ?? URL(fileURLWithPath: "/")
        return try transport.post(url, body: Data("{\"prompt\":\"hi\"}".utf8), headers: ["Content-Type": "application/json", "X-Probe": "1"],
                                  timeout: timeout)
    }

    @Test func anAnswerBringsStatusBodyAndRetryAfter() throws {
        let server = try RemoteTestServer { _, _ in RemoteTestServer.Reply(status: 200, body: "{\"ok\":true}", headers: ["Retry-After": "7"]) }
        let answer = try Self.post(CurlTransport(connectionsPerHost: 1), server)
        #expect(answer.status == 200)
        #expect(String(decoding: answer.body, as: UTF8.self) == "{\"ok\":true}")
        #expect(answer.retryAfter == 7)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v1/completions")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["x-probe"] == "1")
        #expect(request.headers["expect"] == nil)
        #expect(String(decoding: request.body, as: UTF8.self) == "{\"prompt\":\"hi\"}")
    }

    @Test func anErrorStatusIsAnAnswerNotAFailure() throws {
        let server = try RemoteTestServer { _, n in
            n == 0 ? RemoteTestServer.failure(429, "slow down") : RemoteTestServer.failure(503, "busy", headers: ["Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"])
        }
        let transport = CurlTransport(connectionsPerHost: 1)
        let limited = try Self.post(transport, server)
        #expect(limited.status == 429)
        #expect(limited.retryAfter == nil)
        #expect(String(decoding: limited.body, as: UTF8.self).contains("slow down"))
        let busy = try Self.post(transport, server)
        #expect(busy.status == 503)
        #expect(busy.retryAfter == nil, "an HTTP-date Retry-After is not read as seconds")
    }

    @Test func successiveRequestsReuseTheConnection() throws {
        let server = try RemoteTestServer { _, n in RemoteTestServer.Reply(status: 200, body: "\(n)", keepAlive: true) }
        let transport = CurlTransport(connectionsPerHost: 2)
        let bodies = try (0..<3).map { _ in String(decoding: try Self.post(transport, server).body, as: UTF8.self) }
        #expect(bodies == ["0", "1", "2"])
        #expect(server.requests.count == 3)
        #expect(server.connections == 1)
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        let server = try RemoteTestServer { _, _ in RemoteTestServer.Reply(status: 200, body: "late", delay: 30) }
        defer { server.stop() }
        let started = Date()
        let error = #expect(throws: RemoteError.self) { try Self.post(CurlTransport(connectionsPerHost: 1), server, timeout: 0.5) }
        let elapsed = Date().timeIntervalSince(started)
        guard case .transport(_, let why, let timedOut)? = error else {
            Issue.record("expected a transport error, got \(String(describing: error))")
            return
        }
        #expect(timedOut)
        #expect(why == "timed out after 0.5 s")
        #expect(elapsed >= 0.45 && elapsed < 2, "took \(elapsed) s")
    }

    @Test func aClosedPortCannotConnect() throws {
        let server = try RemoteTestServer { _, _ in RemoteTestServer.completion("unused") }
        server.stop()
        let error = #expect(throws: RemoteError.self) { try Self.post(CurlTransport(connectionsPerHost: 1), server) }
        #expect(error?.description == "\(server.baseURL)/completions: cannot connect (is the server running?)")
    }

    @Test func cancellationStopsAHangingRequest() throws {
        let server = try RemoteTestServer { _, _ in RemoteTestServer.Reply(status: 200, body: "late", delay: 30) }
        defer { server.stop() }
        let (elapsed, error) = Self.interrupted(after: 0.3) { () throws(RemoteError) in
            _ = try Self.post(CurlTransport(connectionsPerHost: 1), server, timeout: 20)
        }
        #expect(error?.description == "interrupted", "\(String(describing: error))")
        #expect(elapsed < 2, "took \(elapsed) s")
        #expect(server.requests.count == 1)
    }

    @Test func cancellationReachesConcurrentRequestsAndBackoff() throws {
        let hanging = try RemoteTestServer { _, _ in RemoteTestServer.Reply(status: 200, body: "late", delay: 30) }
        defer { hanging.stop() }
        let list = try RemoteEndpoint(baseURL: hanging.baseURL, modelName: "m", concurrency: 3, timeout: 20, retries: 0)
        let (listElapsed, listError) = Self.interrupted(after: 0.3) { () throws(RemoteError) in
            _ = try OpenAIClient(endpoint: list).complete(["a", "b", "c"], sampling: RemoteSampling(maxTokens: 1))
        }
        #expect(listError?.description.contains("interrupted") == true, "\(String(describing: listError))")
        #expect(listElapsed < 2, "took \(listElapsed) s")
        #expect(hanging.peakConcurrency == 3)

        let busy = try RemoteTestServer { _, _ in RemoteTestServer.failure(503, "busy", headers: ["Retry-After": "20"]) }
        let patient = try RemoteEndpoint(baseURL: busy.baseURL, modelName: "m", concurrency: 1, timeout: 5, retries: 3,
                                         initialBackoff: 20, maximumBackoff: 30)
        let (backoffElapsed, backoffError) = Self.interrupted(after: 0.3) { () throws(RemoteError) in
            _ = try OpenAIClient(endpoint: patient).complete(["a"], sampling: RemoteSampling(maxTokens: 1))
        }
        #expect(backoffError?.description == "interrupted", "\(String(describing: backoffError))")
        #expect(backoffElapsed < 1.5, "took \(backoffElapsed) s")
        #expect(busy.requests.count == 1)
    }

    @Test func aKeyWithALineBreakIsRefusedUnsent() throws {
        let server = try RemoteTestServer { _, _ in RemoteTestServer.completion("unused") }
        let endpoint = try RemoteEndpoint(baseURL: server.baseURL, modelName: "m", apiKey: "secret\r\nX-Injected: 1", retries: 2)
        let error = #expect(throws: RemoteError.self) { try OpenAIClient(endpoint: endpoint).complete(["x"], sampling: RemoteSampling(maxTokens: 1)) }
        #expect(error?.description == "the request header Authorization contains a line break")
        #expect(server.requests.isEmpty)
    }

    @Test func aMissingLibcurlIsAClearFinalError() throws {
        let server = try RemoteTestServer { _, _ in RemoteTestServer.completion("unused") }
        let endpoint = try RemoteEndpoint(baseURL: server.baseURL, modelName: "m", retries: 3, initialBackoff: 5, maximumBackoff: 5)
        let client = OpenAIClient(endpoint: endpoint, transport: CurlTransport(connectionsPerHost: 1, libraryNames: ["libcurl-absent-for-align-tests.so.4"]))
        let started = Date()
        let error = #expect(throws: RemoteError.self) { try client.complete(["x"], sampling: RemoteSampling(maxTokens: 1)) }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("\(server.baseURL) (model m): cannot load libcurl-absent-for-align-tests.so.4"), "\(text)")
        #expect(text.contains("install the Debian package libcurl4"), "\(text)")
        #expect(Date().timeIntervalSince(started) < 2, "not retried")
        #expect(server.requests.isEmpty)
    }

    /// Runs `body` with a `Cancellation` check that fires `seconds` after the start; returns how
    /// long `body` took and what it threw.
    static func interrupted(after seconds: Double, _ body: () throws(RemoteError) -> Void) -> (Double, RemoteError?) {
        let started = Date()
        let deadline = started.addingTimeInterval(seconds)
        do throws(RemoteError) {
            try Cancellation.whenRequested({ Date() >= deadline }, body)
            return (Date().timeIntervalSince(started), nil)
        } catch {
            return (Date().timeIntervalSince(started), error)
        }
    }
}
