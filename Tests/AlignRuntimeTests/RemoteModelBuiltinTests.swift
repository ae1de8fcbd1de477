import AlignEngine
import AlignSyntax
import Foundation
import Testing
@testable import AlignRuntime

/// `model("openai:…")` in the language: the handle, option checks, and `generate`, `chat`,
/// `logprob`, `align` and the stdlib judge going through a scripted loopback server. Each test
/// uses its own served-model name so result-cache entries of other tests can never answer it.
@Suite struct RemoteModelBuiltinTests {
    static let repoRoot = ModelBuiltinTests.repoRoot

    /// A server that answers like a model: completions echo `gen:` + prompt, echoed prompts get
    /// logprobs, chat answers "1" to a judge prompt and "hi" otherwise.
    static func fakeModel() throws -> RemoteTestServer {
        try RemoteTestServer { request, _ in
            let body = request.json
            if request.path == "/v1/chat/completions" {
                let messages = body["messages"] as? [[String: String]] ?? []
                let last = messages.last?["content"] ?? ""
                return RemoteTestServer.completion(last.contains("return the number of the better response") ? "1" : "hi", chat: true)
            }
            if body["echo"] as? Bool == true { return RemoteLogProbabilityTests.echoed }
            return RemoteTestServer.completion("gen:" + (body["prompt"] as? String ?? ""))
        }
    }

    static func unique() -> String { "served-\(UUID().uuidString.prefix(8))" }

    func run(_ source: String) -> (output: String, outcome: Interpreter.Outcome) {
        InterpreterTests.run(source, path: Self.repoRoot + "/remote-test.align")
    }

    @Test func handleShowsEndpointAndNameWithoutTouchingTheNetwork() throws {
        let server = try Self.fakeModel()
        let v = try BuiltinHarness.call("model", [.string("openai:\(server.baseURL)/")],
                                        ["name": .string("llama-8b"), "concurrency": .int(8), "timeout": .int(30), "retries": .int(2)])
        #expect(v.reprString == "<model llama-8b at openai:\(server.baseURL), concurrency 8, timeout 30 s, retries 2>")
        #expect(server.requests.isEmpty)
    }

    @Test func theKeyComesFromTheEnvironmentAndIsNeverShown() throws {
        setenv("ALIGN_REMOTE_TEST_KEY", "sk-secret-value", 1)
        let server = try Self.fakeModel()
        let v = try BuiltinHarness.call("model", [.string("openai:\(server.baseURL)")],
                                        ["name": .string(Self.unique()), "api_key_env": .string("ALIGN_REMOTE_TEST_KEY")])
        #expect(v.reprString.hasSuffix(", key from $ALIGN_REMOTE_TEST_KEY>"))
        #expect(!v.reprString.contains("sk-secret-value"))
        _ = try BuiltinHarness.call("generate", [v, .string("x")], ["max_tokens": .int(2)])
        #expect(server.requests.first?.headers["authorization"] == "Bearer sk-secret-value")
        let unset = try #require(BuiltinHarness.failure("model", [.string("openai:\(server.baseURL)")],
                                                        ["name": .string("m"), "api_key_env": .string("ALIGN_REMOTE_TEST_UNSET")]))
        #expect(unset.message == "environment variable ALIGN_REMOTE_TEST_UNSET is not set (it should hold the API key)")
    }

    @Test func badOptionsAreDiagnostics() throws {
        let url = "openai:http://127.0.0.1:9/v1"
        let noName = try #require(BuiltinHarness.failure("model", [.string(url)]))
        #expect(noName.message == "`openai:` endpoints need `name:`, the model name the server serves")
        let threads = try #require(BuiltinHarness.failure("model", [.string(url)], ["name": .string("m"), "threads": .int(2)]))
        #expect(threads.message == "`threads` applies to local models; the server decides it for `openai:` endpoints")
        let width = try #require(BuiltinHarness.failure("model", [.string(url)], ["name": .string("m"), "concurrency": .int(0)]))
        #expect(width.message == "openai endpoint: concurrency must be between 1 and 256, got 0")
        let scheme = try #require(BuiltinHarness.failure("model", [.string("openai:ftp://host/v1")], ["name": .string("m")]))
        #expect(scheme.message == "openai endpoint: 'ftp://host/v1' is not an http(s) URL such as http://127.0.0.1:8080/v1")
        let local = try #require(BuiltinHarness.failure("model", [.string("smollm2")], ["concurrency": .int(4)]))
        #expect(local.message == "`concurrency` applies to `openai:` endpoints only")
    }

    @Test func generateChatLogprobAlignAndJudgeGoThroughTheServer() throws {
        let server = try Self.fakeModel()
        let name = Self.unique()
        let (output, outcome) = run("""
            import judge
            let m = model("openai:\(server.baseURL)", name: "\(name)", concurrency: 2)
            print(generate(m, "Hello", max_tokens: 5))
            print(generate(m, ["a", "b", "c"], max_tokens: 5, temperature: 0.5, seed: 3))
            print(chat(m, "Say hi"))
            print(logprob(m, "The capital is", " Paris").total)
            print(align(m, "Q?", "A.", ["Harmlessness: safe"], max_tokens: 20))
            print(judge.judge(m, "q", "first", "second", "Helpfulness: useful", seed: 1))
            """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics.map(\.message))")
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count >= 6, "\(output)")
        guard lines.count >= 6 else { return }
        #expect(lines[0] == "gen:Hello")
        #expect(lines[1] == "[\"gen:a\", \"gen:b\", \"gen:c\"]")
        #expect(lines[2] == "hi")
        #expect(lines[3] == "-0.25")
        #expect(lines[4].hasPrefix("gen:You are an assistant to human. You will be provided with a context and an answer."), "\(lines[4])")
        #expect(lines[4].hasSuffix("Harmlessness: safe | Context: Q? | Answer: A. | Edit: "), "\(lines[4])")
        #expect(["1", "2"].contains(lines[5]), "\(lines[5])")
        let sampled = server.requests.filter { ($0.json["prompt"] as? String) == "b" }.first?.json
        #expect(sampled?["temperature"] as? Double == 0.5)
        #expect(sampled?["seed"] as? Int == 3)
        let aligned = server.requests.first { ($0.json["prompt"] as? String)?.hasPrefix("You are an assistant") == true }?.json
        #expect(aligned?["max_tokens"] as? Int == 20)
        #expect(aligned?["temperature"] as? Double == 0)
        #expect(server.requests.allSatisfy { $0.json["model"] as? String == name })
    }

    /// Ctrl-C (the interpreter's interruption flag) aborts a request that is waiting for its
    /// answer: the call reports `interrupted` at once instead of after the server's 20 s.
    @Test func interruptionStopsAWaitingRequest() throws {
        let server = try RemoteTestServer { _, _ in
            var reply = RemoteTestServer.completion("late")
            reply.delay = 20
            return reply
        }
        defer { server.stop() }
        let services = RecordingServices()
        let m = try BuiltinHarness.call("model", [.string("openai:\(server.baseURL)")],
                                        ["name": .string(Self.unique()), "retries": .int(0)], services: services)
        let interruption = services.interruption
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { interruption.request() }
        let started = Date()
        let failure = BuiltinHarness.failure("generate", [m, .string("x")], ["max_tokens": .int(2)], services: services)
        #expect(failure?.message == "interrupted")
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(server.requests.count == 1)
    }

    @Test func errorsOfTheServerAreDiagnosticsAtTheCall() throws {
        let server = try RemoteTestServer { _, _ in RemoteTestServer.failure(404, "The model `nope` does not exist.") }
        let m = try BuiltinHarness.call("model", [.string("openai:\(server.baseURL)")], ["name": .string("nope"), "retries": .int(0)])
        let failure = try #require(BuiltinHarness.failure("generate", [m, .string("x")]))
        #expect(failure.message.hasPrefix("\(server.baseURL) (model nope): HTTP 404: The model `nope` does not exist."), "\(failure.message)")
        let negative = try #require(BuiltinHarness.failure("generate", [m, .string("x")], ["max_tokens": .int(-1)]))
        #expect(negative.message == "`max_tokens` must be >= 0, got -1")
        let topP = try #require(BuiltinHarness.failure("chat", [m, .string("x")], ["top_p": .float(0)]))
        #expect(topP.message == "top_p must be in (0, 1], got 0.0")
        let beams = try #require(BuiltinHarness.failure("generate", [m, .string("x")], ["beams": .int(2)]))
        #expect(beams.message.hasPrefix("`beams: 2` needs an encoder-decoder model"), "\(beams.message)")
        #expect(server.requests.count == 1)
    }

    @Test func localOnlyBuiltinsRefuseARemoteModel() throws {
        let m = try BuiltinHarness.call("model", [.string("openai:http://127.0.0.1:9/v1")], ["name": .string("m")])
        let embed = try #require(BuiltinHarness.failure("embed", [m, .string("x")]))
        #expect(embed.message.contains("needs a local model; an `openai:` endpoint serves generate, chat, logprob, align and judge only"),
                "\(embed.message)")
        #expect(BuiltinHarness.failure("tokens", [m, .string("x")])?.message.contains("needs a local model") == true)
    }
}
