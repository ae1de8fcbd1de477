import AlignEngine
import Foundation
import Testing

/// `logprob` over `/v1/completions` with `echo`: the continuation's tokens are read off by
/// character offset, and servers without prompt log-probabilities give a clear error.
@Suite struct RemoteLogProbabilityTests {
    /// An echoed prompt "The capital is Paris" as a vLLM-style logprobs block.
    static let echoed = RemoteTestServer.Reply(status: 200, body: """
        {"choices":[{"index":0,"text":"The capital is Paris","finish_reason":"length","logprobs":{"tokens":["The"," capital"," is"," Paris"],"token_logprobs":[null,-1.5,-2.0,-0.25],"text_offset":[0,3,11,14]}}]}
        """)

    @Test func continuationTokensAreSelectedByOffset() throws {
        let server = try RemoteTestServer { _, _ in Self.echoed }
        let client = try RemoteClientTests.client(server)
        let plain = try client.logProbability(context: "The capital is", continuation: " Paris")
        #expect(plain.total == -0.25 && plain.mean == -0.25 && plain.tokens == [-0.25])
        let trailing = try client.logProbability(context: "The capital is ", continuation: "Paris")
        #expect(trailing.tokens == [-0.25])
        let two = try client.logProbability(context: "The capital", continuation: " is Paris")
        #expect(two.tokens == [-2.0, -0.25])
        #expect(two.mean == -1.125)
        let body = try #require(server.requests.first).json
        #expect(body["echo"] as? Bool == true)
        #expect(body["logprobs"] as? Int == 1)
        #expect(body["max_tokens"] as? Int == 0)
        #expect(body["prompt"] as? String == "The capital is Paris")
    }

    @Test func aServerWithoutPromptLogprobsIsAClearError() throws {
        let server = try RemoteTestServer { _, n in
            n == 0 ? RemoteTestServer.completion("") : RemoteTestServer.failure(400, "echo is not supported")
        }
        let client = try RemoteClientTests.client(server)
        let missing = #expect(throws: RemoteError.self) { try client.logProbability(context: "a", continuation: " b") }
        #expect(missing?.description.contains("returned no prompt log-probabilities") == true, "\(missing?.description ?? "")")
        let refused = #expect(throws: RemoteError.self) { try client.logProbability(context: "a", continuation: " b") }
        #expect(refused?.description.contains("refused a prompt log-probability request") == true, "\(refused?.description ?? "")")
        #expect(refused?.description.contains("echo is not supported") == true)
    }
}
