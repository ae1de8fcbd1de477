/// A request the server refuses before routing (bad syntax, too large): answered with `status`.
public struct HTTPFailure: Error, Sendable, Equatable {
    public let status: Int
    public let message: String
    /// The OpenAI-style error code sent with it.
    public let code: String

    public init(status: Int, message: String, code: String) {
        self.status = status
        self.message = message
        self.code = code
    }
}

/// The request line and header fields of a request, with its declared body length.
public struct HTTPHead: Sendable {
    public var request: HTTPRequest
    public var contentLength: Int

    /// Parses the head (everything before the blank line; CRLF or bare LF line ends, leading empty
    /// lines skipped). Matches: RFC 9112 §2–3, §5, §6.3 (Content-Length; Transfer-Encoding refused,
    /// since request bodies here are small JSON documents).
    public static func parse(_ bytes: ArraySlice<UInt8>) -> Result<HTTPHead, HTTPFailure> {
        // Split bytes, not a String: Swift reads "\r\n" as one Character.
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        while lines.first == "" { lines.removeFirst() }
        guard let requestLine = lines.first else { return .failure(bad("empty request")) }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isLetter && $0.isUppercase }) else {
            return .failure(bad("malformed request line"))
        }
        let version = String(parts[2])
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            return .failure(HTTPFailure(status: 505, message: "only HTTP/1.0 and HTTP/1.1 are supported", code: "http_version"))
        }
        guard let path = Self.path(of: String(parts[1])) else { return .failure(bad("malformed request target")) }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  !line[..<colon].contains(where: { $0 == " " || $0 == "\t" }), !line.hasPrefix(" "), !line.hasPrefix("\t") else {
                return .failure(bad("malformed header line"))
            }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            headers.append((line[..<colon].lowercased(), value))
        }
        let request = HTTPRequest(method: String(parts[0]), path: path, version: version, headers: headers)
        if request.header("transfer-encoding") != nil {
            return .failure(HTTPFailure(status: 411, message: "chunked request bodies are not supported; send Content-Length",
                                        code: "length_required"))
        }
        let lengths = Set(headers.filter { $0.name == "content-length" }.map(\.value))
        guard lengths.count <= 1 else { return .failure(bad("conflicting Content-Length headers")) }
        var length = 0
        if let value = lengths.first {
            guard !value.isEmpty, value.count <= 18, value.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(value) else {
                return .failure(bad("invalid Content-Length `\(value.prefix(40))`"))
            }
            length = n
        }
        return .success(HTTPHead(request: request, contentLength: length))
    }

    /// The path of an origin-form (`/v1/models?x`) or absolute-form (`http://h/v1/models`) target.
    static func path(of target: String) -> String? {
        var rest = Substring(target)
        if rest.hasPrefix("http://") || rest.hasPrefix("https://") {
            rest = rest.drop { $0 != ":" }.dropFirst(3)
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        guard rest.hasPrefix("/") else { return nil }
        return String(rest.prefix { $0 != "?" && $0 != "#" })
    }

    private static func bad(_ message: String) -> HTTPFailure {
        HTTPFailure(status: 400, message: message, code: "bad_request")
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        let start = firstIndex { !set.contains($0) } ?? endIndex
        let end = lastIndex { !set.contains($0) }.map { index(after: $0) } ?? start
        return start < end ? String(self[start..<end]) : ""
    }
}

/// Reads requests off one connection, buffering bytes that arrive ahead of need (pipelined
/// requests, a body sent with its head).
final class HTTPRequestReader {
    enum Outcome {
        case head(HTTPHead)
        /// The peer closed (or went quiet past the timeout) between requests.
        case closed
        case failure(HTTPFailure)
    }

    let socket: Socket
    let maxHeadBytes: Int
    private var buffer: [UInt8] = []

    init(socket: Socket, maxHeadBytes: Int = 32768) {
        self.socket = socket
        self.maxHeadBytes = maxHeadBytes
    }

    func readHead() -> Outcome {
        var searched = 0
        while true {
            if let end = Self.headEnd(buffer, from: searched) {
                let head = HTTPHead.parse(buffer[0..<end])
                buffer.removeFirst(end)
                switch head {
                case .success(let h): return .head(h)
                case .failure(let f): return .failure(f)
                }
            }
            searched = max(0, buffer.count - 3)
            if buffer.count > maxHeadBytes {
                return .failure(HTTPFailure(status: 431, message: "request head larger than \(maxHeadBytes) bytes",
                                            code: "header_too_large"))
            }
            if socket.receive(into: &buffer) == 0 { return .closed }
        }
    }

    /// The next `count` bytes, or nil if the peer stopped sending first.
    func readBody(count: Int) -> [UInt8]? {
        while buffer.count < count {
            if socket.receive(into: &buffer, limit: min(1 << 20, max(4096, count - buffer.count))) == 0 { return nil }
        }
        let body = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return body
    }

    /// Index just past the blank line ending a head (`\n\n` or `\n\r\n`), if present.
    static func headEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var i = max(start, 0)
        while i < bytes.count {
            if bytes[i] == 0x0A {
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A { return i + 2 }
                if i + 2 < bytes.count && bytes[i + 1] == 0x0D && bytes[i + 2] == 0x0A { return i + 3 }
            }
            i += 1
        }
        return nil
    }
}
