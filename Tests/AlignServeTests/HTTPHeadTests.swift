import Testing
import AlignServe

/// Request heads as RFC 9112 writes them, and the malformed ones the server must refuse with a
/// status instead of crashing.
@Suite struct HTTPHeadTests {
    private func parse(_ text: String) -> Result<HTTPHead, HTTPFailure> { HTTPHead.parse(ArraySlice(Array(text.utf8))) }

    @Test func requestLineHeadersAndLength() throws {
        let head = try parse("POST /v1/completions?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type:  application/json \r\nContent-Length: 12\r\n\r\n").get()
        #expect(head.request.method == "POST")
        #expect(head.request.path == "/v1/completions")
        #expect(head.request.header("content-type") == "application/json")
        #expect(head.request.header("HOST") == "a")
        #expect(head.contentLength == 12)
        #expect(head.request.keepAlive)
    }

    @Test func bareLineFeedsAndAbsoluteForm() throws {
        let head = try parse("\r\nGET http://localhost:8080/health HTTP/1.0\nConnection: keep-alive\n\n").get()
        #expect(head.request.path == "/health")
        #expect(head.request.keepAlive)
        #expect(try !parse("GET / HTTP/1.0\r\n\r\n").get().request.keepAlive)
        #expect(try !parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").get().request.keepAlive)
    }

    @Test(arguments: [
        ("GARBAGE\r\n\r\n", 400), ("GET /\r\n\r\n", 400), ("get / HTTP/1.1\r\n\r\n", 400), ("GET / HTTP/2.0\r\n\r\n", 505),
        ("GET nopath HTTP/1.1\r\n\r\n", 400), ("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400), ("GET / HTTP/1.1\r\n folded: x\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n", 400), ("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411), ("", 400),
    ])
    func malformedHeadsAreRefused(text: String, status: Int) {
        switch parse(text) {
        case .success: Issue.record("accepted \(text.debugDescription)")
        case .failure(let failure): #expect(failure.status == status, "\(text.debugDescription): \(failure.message)")
        }
    }
}
