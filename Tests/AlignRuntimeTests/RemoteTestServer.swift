import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on a loopback ephemeral port whose answers a test scripts: each request
/// (method, path, headers, JSON body) is recorded and passed with its arrival number to `script`,
/// whose reply may be delayed (a delay ends early when the server stops). One thread per
/// connection; `Connection: close` on every answer unless the reply asks to keep the connection.
final class RemoteTestServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: Data

        /// The JSON body as a dictionary (empty when it is not one).
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
    }

    struct Reply: Sendable {
        var status: Int
        var body: String
        var delay: Double = 0
        var headers: [String: String] = [:]
        /// Answer without `Connection: close` and read the next request on the same connection.
        var keepAlive = false
    }

    typealias Script = @Sendable (Request, Int) -> Reply

    let port: Int
    private let listener: Int32
    private let script: Script
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var inFlight = 0
    private var maxInFlight = 0
    private var accepted = 0
    private var stopped = false

    init(_ script: @escaping Script) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket() failed") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Bool in
                bind(fd, p, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, p, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw ServerError("cannot listen on loopback")
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        self.script = script
        let acceptor = Thread { [self] in acceptLoop() }
        acceptor.start()
    }

    deinit { stop() }

    /// The base URL a client uses: `http://127.0.0.1:PORT/v1`.
    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    var requests: [Request] { lock.withLock { recorded } }

    /// The most requests that were being answered at the same moment.
    var peakConcurrency: Int { lock.withLock { maxInFlight } }

    /// Connections accepted so far (fewer than requests when clients reuse them).
    var connections: Int { lock.withLock { accepted } }

    /// Stops listening once; connections being answered finish. Only `shutdown` here: it refuses
    /// new connections and wakes the accept loop, which closes the descriptor itself. Closing it
    /// here raced with the loop's next `accept`: under load the number could already belong to
    /// another test's listener, and this server would take that test's connections.
    func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            guard !lock.withLock({ stopped }) else {
                close(client)
                return
            }
            lock.withLock { accepted += 1 }
            Thread { [self] in serve(client) }.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        while answer(fd) {}
    }

    /// Answers one request; true when the connection stays open for another.
    private func answer(_ fd: Int32) -> Bool {
        guard let request = read(fd) else { return false }
        let number = lock.withLock { () -> Int in
            recorded.append(request)
            inFlight += 1
            maxInFlight = max(maxInFlight, inFlight)
            return recorded.count - 1
        }
        let reply = script(request, number)
        let end = Date(timeIntervalSinceNow: reply.delay)
        while Date() < end, !lock.withLock({ stopped }) { Thread.sleep(forTimeInterval: min(0.02, max(end.timeIntervalSinceNow, 0))) }
        lock.withLock { inFlight -= 1 }
        let body = Data(reply.body.utf8)
        var head = "HTTP/1.1 \(reply.status) Scripted\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        if !reply.keepAlive { head += "Connection: close\r\n" }
        for (name, value) in reply.headers { head += "\(name): \(value)\r\n" }
        write(fd, Data((head + "\r\n").utf8) + body)
        return reply.keepAlive
    }

    /// Reads one request: the head up to the blank line, then `Content-Length` bytes of body.
    private func read(_ fd: Int32) -> Request? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let separator = Data("\r\n\r\n".utf8)
        while data.range(of: separator) == nil {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { return nil }
            data.append(contentsOf: buffer[0..<n])
        }
        guard let split = data.range(of: separator) else { return nil }
        let lines = String(decoding: data[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let first = lines.first?.split(separator: " ") ?? []
        guard first.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = Data(data[split.upperBound...])
        while body.count < length {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { return nil }
            body.append(contentsOf: buffer[0..<n])
        }
        return Request(method: String(first[0]), path: String(first[1]), headers: headers, body: body)
    }

    /// Writes everything, ignoring a client that has gone (MSG_NOSIGNAL: no SIGPIPE).
    private func write(_ fd: Int32, _ data: Data) {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let n = send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard n > 0 else { return }
                offset += n
            }
        }
    }

    struct ServerError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A completions or chat reply carrying `text`.
    static func completion(_ text: String, chat: Bool = false, tokens: Int = 3) -> Reply {
        let escaped = String(decoding: (try? JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])) ?? Data(), as: UTF8.self)
        let value = String(escaped.dropFirst().dropLast())
        let choice = chat ? "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\(value)},\"finish_reason\":\"stop\"}"
            : "{\"index\":0,\"text\":\(value),\"finish_reason\":\"stop\"}"
        return Reply(status: 200, body: "{\"id\":\"x\",\"object\":\"text_completion\",\"choices\":[\(choice)],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":\(tokens)}}")
    }

    /// An OpenAI-shaped error body.
    static func failure(_ status: Int, _ message: String, headers: [String: String] = [:]) -> Reply {
        Reply(status: status, body: "{\"error\":{\"message\":\"\(message)\",\"type\":\"invalid_request_error\",\"code\":\(status)}}", headers: headers)
    }
}
