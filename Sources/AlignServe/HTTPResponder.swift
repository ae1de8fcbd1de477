/// Writes one response on a connection: whole (`send`) or as a chunked stream (`beginStream`,
/// `sendChunk`, `endStream`, RFC 9112 §7.1). A failed write marks the connection `broken`.
public final class HTTPResponder: @unchecked Sendable {
    let socket: Socket
    /// Whether the connection stays open after this response.
    public private(set) var keepAlive: Bool
    public private(set) var broken = false

    init(socket: Socket, keepAlive: Bool) {
        self.socket = socket
        self.keepAlive = keepAlive
    }

    /// Whether the client closed its end (checked without blocking), e.g. while waiting on the model.
    public var clientHasGone: Bool { broken || socket.peerHasClosed }

    @discardableResult
    public func send(_ response: HTTPResponse) -> Bool {
        if response.headers.contains(where: { $0.name.lowercased() == "connection" && $0.value == "close" }) { keepAlive = false }
        var headers = response.headers.filter { $0.name.lowercased() != "connection" }
        headers.append(("Content-Length", String(response.body.count)))
        headers.append(("Connection", keepAlive ? "keep-alive" : "close"))
        return write(HTTPResponse.head(status: response.status, headers: headers) + response.body)
    }

    @discardableResult
    public func beginStream(status: Int, contentType: String) -> Bool {
        write(HTTPResponse.head(status: status, headers: [
            ("Content-Type", contentType), ("Cache-Control", "no-cache"), ("Transfer-Encoding", "chunked"),
            ("Connection", keepAlive ? "keep-alive" : "close"),
        ]))
    }

    @discardableResult
    public func sendChunk(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return !broken }
        return write(Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + [0x0D, 0x0A])
    }

    @discardableResult
    public func endStream() -> Bool { write(Array("0\r\n\r\n".utf8)) }

    private func write(_ bytes: [UInt8]) -> Bool {
        guard !broken else { return false }
        if !socket.send(bytes) { broken = true }
        return !broken
    }
}
