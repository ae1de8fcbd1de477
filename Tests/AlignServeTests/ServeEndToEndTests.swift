import AlignTestSupport
import AlignEngine
import Foundation
import Testing

/// `align serve` on SmolLM2, driven with curl and raw sockets: completions, chat, streaming and
/// batching give the in-process greedy text; errors come back as OpenAI-style 4xx JSON; a client
/// hanging up mid-stream leaves the server serving; SIGTERM stops it cleanly.
@Suite(.serialized, .enabled(if: ServerProcess.shouldRun, "SmolLM2 GGUF not installed (run scripts/bootstrap)"))
struct ServeEndToEndTests {
    static let prompts = ["The capital of France is", "Once upon a time", "def fibonacci(n):", "The three primary colors are"]

    /// In-process greedy generation, the reference for the server's text.
    static func inProcess(_ prompt: [Int32], maxTokens: Int) throws -> String {
        let lm = try #require(try ModelCache.shared.model(ServerProcess.modelPath).causalLM)
        return try lm.generate([prompt], sampler: [.greedy], maxTokens: maxTokens, stop: [])[0].text
    }

    static func lm() throws -> CausalLanguageModel {
        try #require(try ModelCache.shared.model(ServerProcess.modelPath).causalLM)
    }

    static func quoted(_ s: String) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: s, options: .fragmentsAllowed)) ?? Data(), as: UTF8.self)
    }

    @Test func completionsChatAndStreamingMatchInProcessGreedy() throws {
        let server = try ServerProcess()
        defer { _ = server.stop() }
        let lm = try Self.lm()
        #expect(try Curl.get(server.port, "/health").status == 200)
        let models = try Curl.get(server.port, "/v1/models").json()
        let data = try #require(models["data"] as? [[String: Any]])
        #expect(data.first?["id"] as? String == ServerProcess.modelPath)

        let prompt = Self.prompts[0]
        let reply = try Curl.post(server.port, "/v1/completions", json: #"{"prompt": \#(Self.quoted(prompt)), "max_tokens": 20, "temperature": 0}"#)
        #expect(reply.status == 200, "\(reply.body)")
        let body = try reply.json()
        let choice = try #require((body["choices"] as? [[String: Any]])?.first)
        #expect(body["object"] as? String == "text_completion")
        #expect(choice["text"] as? String == (try Self.inProcess(lm.encode(prompt), maxTokens: 20)))
        #expect(choice["finish_reason"] as? String == "length")
        #expect((body["usage"] as? [String: Any])?["prompt_tokens"] as? Int == lm.encode(prompt).count)

        let streamed = try Curl.post(server.port, "/v1/completions",
                                     json: #"{"prompt": \#(Self.quoted(prompt)), "max_tokens": 20, "stream": true}"#)
        #expect(streamed.status == 200)
        #expect(streamed.events.last == "[DONE]")
        let pieces = try streamed.events.dropLast().map { event -> String in
            let chunk = try #require(try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any])
            return ((chunk["choices"] as? [[String: Any]])?.first?["text"] as? String) ?? ""
        }
        #expect(pieces.joined() == choice["text"] as? String)

        let messages = [ChatMessage(role: "user", content: "What is the capital of France?")]
        let chatBody = #"{"model": \#(Self.quoted(ServerProcess.modelPath)), "messages": [{"role": "user", "content": "What is the capital of France?"}], "max_tokens": 24}"#
        let chat = try Curl.post(server.port, "/v1/chat/completions", json: chatBody).json()
        let message = try #require(((chat["choices"] as? [[String: Any]])?.first?["message"]) as? [String: Any])
        let expected = try Self.inProcess(try lm.chatTokens(messages), maxTokens: 24)
        #expect(message["content"] as? String == expected)
        #expect(message["role"] as? String == "assistant")

        let chatStream = try Curl.post(server.port, "/v1/chat/completions",
                                       json: String(chatBody.dropLast()) + #", "stream": true}"#)
        #expect(chatStream.events.last == "[DONE]")
        let deltas = try chatStream.events.dropLast().map { event -> String in
            let chunk = try #require(try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any])
            #expect(chunk["object"] as? String == "chat.completion.chunk")
            let delta = (chunk["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any]
            return delta?["content"] as? String ?? ""
        }
        #expect(deltas.joined() == expected)
    }

    @Test func concurrentRequestsAreBatchedAndEachEqualsItsOwnGreedyRun() throws {
        let server = try ServerProcess(["--max-concurrent", "4"])
        defer { _ = server.stop() }
        let lm = try Self.lm()
        let replies = LockedArray<(Int, String)>()
        let group = DispatchGroup()
        for i in 0..<(Self.prompts.count * 2) {
            group.enter()
            // One thread per client, so all eight requests are in flight at once.
            Thread {
                let prompt = Self.prompts[i % Self.prompts.count]
                let text = try? Curl.post(server.port, "/v1/completions",
                                          json: #"{"prompt": \#(Self.quoted(prompt)), "max_tokens": \#(12 + i)}"#).json()
                let choice = (text?["choices"] as? [[String: Any]])?.first?["text"] as? String
                replies.append((i, choice ?? "<failed>"))
                group.leave()
            }.start()
        }
        group.wait()
        for (i, text) in replies.values.sorted(by: { $0.0 < $1.0 }) {
            let prompt = Self.prompts[i % Self.prompts.count]
            #expect(text == (try Self.inProcess(lm.encode(prompt), maxTokens: 12 + i)), "request \(i)")
        }
    }

    @Test func promptLogprobsWithEchoScoreTheContinuation() throws {
        let server = try ServerProcess()
        defer { _ = server.stop() }
        let lm = try Self.lm()
        let (context, continuation) = ("The capital of France is", " Paris")
        let body = try Curl.post(server.port, "/v1/completions",
                                 json: #"{"prompt": \#(Self.quoted(context + continuation)), "max_tokens": 0, "echo": true, "logprobs": 1}"#).json()
        let choice = try #require((body["choices"] as? [[String: Any]])?.first)
        #expect(choice["text"] as? String == context + continuation)
        let logprobs = try #require(choice["logprobs"] as? [String: Any])
        let offsets = try #require(logprobs["text_offset"] as? [Int])
        let scores = try #require(logprobs["token_logprobs"] as? [Any])
        #expect((logprobs["tokens"] as? [String])?.joined() == context + continuation)
        let total = zip(offsets, scores).filter { $0.0 >= context.count }.compactMap { $0.1 as? Double }.reduce(0, +)
        let reference = try lm.logProbability(context: context, continuation: continuation).total
        #expect(abs(total - reference) < 1e-3, "server \(total) vs in-process \(reference)")
    }
}

final class LockedArray<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Element] = []
    func append(_ item: Element) { lock.withLock { items.append(item) } }
    var values: [Element] { lock.withLock { items } }
}
