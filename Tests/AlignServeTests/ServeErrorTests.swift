import AlignTestSupport
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Every refusal of `align serve` as a client sees it (status and OpenAI error code), a client
/// that hangs up mid-stream, the busy answer, bearer authentication and a clean SIGTERM.
@Suite(.serialized, .enabled(if: ServerProcess.shouldRun, "SmolLM2 GGUF not installed (run scripts/bootstrap)"))
struct ServeErrorTests {
    @Test func badRequestsGetOpenAIStyleErrors() throws {
        let server = try ServerProcess(["--max-body", "4096", "--max-prompt-tokens", "64", "--max-tokens", "100"])
        defer { _ = server.stop() }
        let port = server.port
        let cases: [(String, ClientResponse, Int, String)] = [
            ("malformed JSON", try Curl.post(port, "/v1/completions", json: #"{"prompt": "hi", "#), 400, "invalid_json"),
            ("not an object", try Curl.post(port, "/v1/completions", json: "[1, 2]"), 400, "invalid_json"),
            ("unknown model", try Curl.post(port, "/v1/completions", json: #"{"model": "gpt-9", "prompt": "hi"}"#), 404, "model_not_found"),
            ("oversized body", try Curl.post(port, "/v1/completions", json: #"{"prompt": "\#(String(repeating: "a", count: 8000))"}"#), 413, "body_too_large"),
            ("long prompt", try Curl.post(port, "/v1/completions", json: #"{"prompt": "\#(String(repeating: "word ", count: 200))"}"#),
             400, "context_length_exceeded"),
            ("negative max_tokens", try Curl.post(port, "/v1/completions", json: #"{"prompt": "hi", "max_tokens": -1}"#), 400, "invalid_value"),
            ("max_tokens over the cap", try Curl.post(port, "/v1/completions", json: #"{"prompt": "hi", "max_tokens": 101}"#), 400, "invalid_value"),
            ("max_tokens a string", try Curl.post(port, "/v1/completions", json: #"{"prompt": "hi", "max_tokens": "ten"}"#), 400, "invalid_value"),
            ("bad temperature", try Curl.post(port, "/v1/completions", json: #"{"prompt": "hi", "temperature": -1}"#), 400, "invalid_value"),
            ("missing prompt", try Curl.post(port, "/v1/completions", json: "{}"), 400, "missing_field"),
            ("token id outside the vocabulary", try Curl.post(port, "/v1/completions", json: #"{"prompt": [1, 99999999]}"#), 400, "invalid_value"),
            ("empty messages", try Curl.post(port, "/v1/chat/completions", json: #"{"messages": []}"#), 400, "invalid_value"),
            ("unsupported penalty", try Curl.post(port, "/v1/completions", json: #"{"prompt": "hi", "presence_penalty": 1}"#), 400, "unsupported"),
            ("unknown route", try Curl.get(port, "/v2/engines"), 404, "not_found"),
            ("wrong method", try Curl.get(port, "/v1/completions"), 405, "method_not_allowed"),
        ]
        for (name, reply, status, code) in cases {
            #expect(reply.status == status, "\(name): \(reply.body)")
            #expect(reply.errorCode == code, "\(name): \(reply.body)")
        }
        #expect(try Curl.get(port, "/health").status == 200)
    }

    @Test func malformedHTTPOverRawSocketsIsRefusedAndServingContinues() throws {
        let server = try ServerProcess(["--max-body", "4096"])
        defer { _ = server.stop() }
        let garbage = try RawConnection(port: server.port)
        garbage.send("NONSENSE\r\n\r\n")
        #expect(RawConnection.status(garbage.read(until: "}")) == 400)
        let huge = try RawConnection(port: server.port)
        huge.send("POST /v1/completions HTTP/1.1\r\nContent-Length: 100000000\r\n\r\n" + String(repeating: "x", count: 10000))
        #expect(RawConnection.status(huge.read(until: "}")) == 413)
        let nested = try RawConnection(port: server.port)
        let deep = String(repeating: "[", count: 4000)
        nested.send("POST /v1/completions HTTP/1.1\r\nContent-Length: \(deep.utf8.count)\r\n\r\n" + deep)
        #expect(RawConnection.status(nested.read(until: "}")) == 400)
        #expect(try Curl.get(server.port, "/health").status == 200)
    }

    @Test func clientHangingUpMidStreamIsCancelledAndTheServerKeepsServing() throws {
        let server = try ServerProcess()
        defer { _ = server.stop() }
        let body = #"{"prompt": "Write a long story about a dragon.", "max_tokens": 400, "ignore_eos": true, "stream": true}"#
        let client = try RawConnection(port: server.port)
        client.send("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(client.read(until: "data: {").contains("text/event-stream"))
        client.hangUp()
        let deadline = Date(timeIntervalSinceNow: 20)
        var active = -1
        while Date() < deadline {
            active = ((try Curl.get(server.port, "/health").json())["active"] as? Int) ?? -1
            if active == 0 { break }
            usleep(100_000)
        }
        #expect(active == 0, "the abandoned sequence is still decoding")
        let after = try Curl.post(server.port, "/v1/completions", json: #"{"prompt": "Hello", "max_tokens": 4}"#)
        #expect(after.status == 200, "\(after.body)")
    }

    @Test func fullBatchAndQueueAnswer429AndKeysAreChecked() throws {
        let server = try ServerProcess(["--max-concurrent", "1", "--max-queue", "0", "--api-key-env", "ALIGN_TEST_KEY"],
                                       environment: ["ALIGN_TEST_KEY": "sekrit"])
        defer { _ = server.stop() }
        let auth = "Authorization: Bearer sekrit"
        #expect(try Curl.get(server.port, "/v1/models").status == 401)
        #expect(try Curl.get(server.port, "/v1/models", headers: ["Authorization: Bearer wrong"]).status == 401)
        #expect(try Curl.get(server.port, "/v1/models", headers: [auth]).status == 200)
        let body = #"{"prompt": "Count to a hundred:", "max_tokens": 300, "ignore_eos": true, "stream": true}"#
        let busy = try RawConnection(port: server.port)
        busy.send("POST /v1/completions HTTP/1.1\r\nAuthorization: Bearer sekrit\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(busy.read(until: "data: {").contains("200 OK"))
        let refused = try Curl.post(server.port, "/v1/completions", json: #"{"prompt": "hi", "max_tokens": 2}"#, headers: [auth])
        #expect(refused.status == 429, "\(refused.body)")
        #expect(refused.errorCode == "rate_limit_exceeded")
    }

    @Test func sigtermStopsTheServerCleanly() throws {
        let server = try ServerProcess()
        #expect(try Curl.get(server.port, "/health").status == 200)
        #expect(server.stop() == 0)
        #expect(server.stderr.contains("shutting down"))
    }
}
