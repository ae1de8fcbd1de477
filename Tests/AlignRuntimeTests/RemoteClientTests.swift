import AlignEngine
import Foundation
import Testing

/// `OpenAIClient` against a scripted loopback server: ordering under concurrency, retries on
/// 429/5xx/timeouts, final 4xx errors with the server's message, malformed replies, and what is
/// sent. Backoff is shortened so retry tests take milliseconds.
@Suite struct RemoteClientTests {
    static func client(_ server: RemoteTestServer, concurrency: Int = 4, timeout: Double = 5, retries: Int = 3,
                       key: String? = nil) throws -> OpenAIClient {
        let endpoint = try RemoteEndpoint(baseURL: server.baseURL, modelName: "test-model", apiKey: key, concurrency: concurrency,
                                          timeout: timeout, retries: retries, initialBackoff: 0.01, maximumBackoff: 0.05)
        return OpenAIClient(endpoint: endpoint)
    }

    static func prompt(_ r: RemoteTestServer.Request) -> String { r.json["prompt"] as? String ?? "" }

    @Test func listResultsComeBackInInputOrderFourAtATime() throws {
        let server = try RemoteTestServer { request, _ in
            let p = Self.prompt(request)
            let index = Int(p.dropFirst(1)) ?? 0
            var reply = RemoteTestServer.completion("echo:\(p)")
            reply.delay = Double(12 - index) * 0.02
            return reply
        }
        let prompts = (0..<12).map { "p\($0)" }
        let out = try Self.client(server, concurrency: 4).complete(prompts, sampling: RemoteSampling(maxTokens: 4))
        #expect(out.map(\.text) == prompts.map { "echo:\($0)" })
        #expect(server.requests.count == 12)
        #expect(server.peakConcurrency == 4)
        #expect(out.first?.completionTokens == 3)
    }

    @Test func rateLimitThenSuccessIsRetried() throws {
        let server = try RemoteTestServer { _, n in
            n == 0 ? RemoteTestServer.failure(429, "slow down", headers: ["Retry-After": "0"]) : RemoteTestServer.completion("ok")
        }
        let out = try Self.client(server).complete(["x"], sampling: RemoteSampling(maxTokens: 4))
        #expect(out.map(\.text) == ["ok"])
        #expect(server.requests.count == 2)
    }

    @Test func serverErrorThenSuccessIsRetried() throws {
        let server = try RemoteTestServer { _, n in
            n == 0 ? RemoteTestServer.failure(500, "worker crashed") : RemoteTestServer.completion("ok")
        }
        #expect(try Self.client(server).complete(["x"], sampling: RemoteSampling(maxTokens: 4)).map(\.text) == ["ok"])
        #expect(server.requests.count == 2)
    }

    @Test func timeoutThenSuccessIsRetried() throws {
        let server = try RemoteTestServer { _, n in
            var reply = RemoteTestServer.completion(n == 0 ? "late" : "ok")
            reply.delay = n == 0 ? 2 : 0
            return reply
        }
        let started = Date()
        let out = try Self.client(server, timeout: 0.3).complete(["x"], sampling: RemoteSampling(maxTokens: 4))
        #expect(out.map(\.text) == ["ok"])
        #expect(server.requests.count == 2)
        #expect(Date().timeIntervalSince(started) < 1.5)
    }

    @Test func badRequestIsFinalAndShowsTheServersMessage() throws {
        let server = try RemoteTestServer { _, _ in RemoteTestServer.failure(400, "max_tokens is too large: 99999") }
        let error = #expect(throws: RemoteError.self) {
            try Self.client(server).complete(["x"], sampling: RemoteSampling(maxTokens: 99999))
        }
        #expect(error?.description == "\(server.baseURL) (model test-model): HTTP 400: max_tokens is too large: 99999")
        #expect(server.requests.count == 1)
    }

    @Test func wrongKeyIsFinalAndNeverShowsTheKey() throws {
        let server = try RemoteTestServer { request, _ in
            request.headers["authorization"] == "Bearer right-key"
                ? RemoteTestServer.completion("ok") : RemoteTestServer.failure(401, "Incorrect API key provided")
        }
        #expect(try Self.client(server, key: "right-key").complete(["x"], sampling: RemoteSampling(maxTokens: 1)).map(\.text) == ["ok"])
        let error = #expect(throws: RemoteError.self) {
            try Self.client(server, key: "wrong-key-123").complete(["x"], sampling: RemoteSampling(maxTokens: 1))
        }
        let text = error?.description ?? ""
        #expect(text.contains("HTTP 401: Incorrect API key provided"), "\(text)")
        #expect(text.contains("api_key_env"), "\(text)")
        #expect(!text.contains("wrong-key-123"))
        #expect(server.requests.count == 2)
    }

    @Test func malformedRepliesAreClearErrors() throws {
        let server = try RemoteTestServer { _, n in
            RemoteTestServer.Reply(status: 200, body: n == 0 ? "{not json" : "{\"object\":\"text_completion\"}")
        }
        let client = try Self.client(server)
        let notJSON = #expect(throws: RemoteError.self) { try client.complete(["x"], sampling: RemoteSampling(maxTokens: 1)) }
        #expect(notJSON?.description.contains("unexpected reply: not an OpenAI completion (not valid JSON); body starts: {not json") == true,
                "\(notJSON?.description ?? "")")
        let noChoices = #expect(throws: RemoteError.self) { try client.complete(["x"], sampling: RemoteSampling(maxTokens: 1)) }
        #expect(noChoices?.description.contains("missing field 'choices'") == true, "\(noChoices?.description ?? "")")
        #expect(server.requests.count == 2)
    }

    @Test func persistentFailureGivesUpAfterTheRetries() throws {
        let server = try RemoteTestServer { _, _ in RemoteTestServer.failure(503, "overloaded") }
        let error = #expect(throws: RemoteError.self) {
            try Self.client(server, retries: 2).complete(["a", "b"], sampling: RemoteSampling(maxTokens: 1))
        }
        #expect(error?.description.contains("HTTP 503: overloaded (gave up after 2 retries)") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("prompt 1 of 2") == true, "\(error?.description ?? "")")
    }

    @Test func refusedConnectionIsReported() throws {
        let server = try RemoteTestServer { _, _ in RemoteTestServer.completion("unused") }
        server.stop()
        let error = #expect(throws: RemoteError.self) {
            try Self.client(server, retries: 1).complete(["x"], sampling: RemoteSampling(maxTokens: 1))
        }
        #expect(error?.description.contains("cannot connect") == true, "\(error?.description ?? "")")
    }

    @Test func samplerSettingsAndKeyAreSent() throws {
        let server = try RemoteTestServer { _, _ in RemoteTestServer.completion("ok") }
        let sampling = RemoteSampling(maxTokens: 7, temperature: 0.7, topP: 0.9, topK: 40, minP: 0.05, repetitionPenalty: 1.1,
                                      stop: ["\n", "###"], seed: 42)
        _ = try Self.client(server, key: "k1").complete(["hello"], sampling: sampling)
        _ = try Self.client(server).complete(["plain"], sampling: RemoteSampling(maxTokens: 3))
        let sent = server.requests
        #expect(sent.map(\.path) == ["/v1/completions", "/v1/completions"])
        #expect(sent.map(\.method) == ["POST", "POST"])
        #expect(sent[0].headers["authorization"] == "Bearer k1")
        #expect(sent[1].headers["authorization"] == nil)
        let full = sent[0].json
        #expect(full["model"] as? String == "test-model")
        #expect(full["prompt"] as? String == "hello")
        #expect(full["max_tokens"] as? Int == 7)
        #expect(full["temperature"] as? Double == 0.7)
        #expect(full["top_p"] as? Double == 0.9)
        #expect(full["top_k"] as? Int == 40)
        #expect(full["min_p"] as? Double == 0.05)
        #expect(full["repetition_penalty"] as? Double == 1.1)
        #expect(full["stop"] as? [String] == ["\n", "###"])
        #expect(full["seed"] as? Int == 42)
        #expect(full["stream"] as? Bool == false)
        let plain = sent[1].json
        #expect(Set(plain.keys) == ["model", "prompt", "max_tokens", "temperature", "stream"])
        #expect(plain["temperature"] as? Double == 0)
    }

    @Test func chatGoesToChatCompletionsWithMessages() throws {
        let server = try RemoteTestServer { _, _ in RemoteTestServer.completion("Hi there", chat: true) }
        let out = try Self.client(server).chat([[ChatMessage(role: "system", content: "Be brief."), ChatMessage(role: "user", content: "Say hi")]],
                                               sampling: RemoteSampling(maxTokens: 8))
        #expect(out.map(\.text) == ["Hi there"])
        let request = try #require(server.requests.first)
        #expect(request.path == "/v1/chat/completions")
        let messages = request.json["messages"] as? [[String: String]]
        #expect(messages == [["role": "system", "content": "Be brief."], ["role": "user", "content": "Say hi"]])
    }
}
