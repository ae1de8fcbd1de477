import Foundation
import Synchronization
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Answers one routed request; may stream through the responder.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest, responder: HTTPResponder)
}

/// A small HTTP/1.1 server on POSIX sockets: one thread per connection (clients mostly wait on the
/// model, so threads are cheap here), keep-alive, `Expect: 100-continue`, bounded heads and bodies.
public final class HTTPServer: @unchecked Sendable {
    public struct Options: Sendable {
        public var host: String
        public var port: Int
        public var maxBodyBytes: Int
        /// Open connections beyond this are answered 503 and closed.
        public var maxConnections: Int
        /// Seconds a connection may sit idle (or stall mid-request) before it is closed.
        public var idleTimeout: Int

        public init(host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 1 << 20,
                    maxConnections: Int = 1024, idleTimeout: Int = 30) {
            self.host = host
            self.port = port
            self.maxBodyBytes = maxBodyBytes
            self.maxConnections = maxConnections
            self.idleTimeout = idleTimeout
        }
    }

    public let options: Options
    public let handler: any HTTPHandler
    private let listener: Socket
    private let connections = Atomic<Int>(0)
    private let requestsInFlight = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)

    public init(options: Options, handler: any HTTPHandler) throws(ServeError) {
        self.options = options
        self.handler = handler
        listener = try Socket.listen(host: options.host, port: options.port)
    }

    /// The bound port (the chosen one when `port` was 0).
    public var port: Int { listener.localPort }

    /// Accepts connections until `stop` fires. Connections already open finish their current
    /// request and then close.
    public func run(until stop: StopRequest) {
        var fds = [pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: stop.readEnd, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = poll(&fds, 2, -1)
            if ready < 0 && errno == EINTR { continue }
            if fds[1].revents != 0 || ready < 0 { break }
            guard fds[0].revents & Int16(POLLIN) != 0, let client = listener.accept() else { continue }
            let open = connections.add(1, ordering: .relaxed).newValue
            let thread = Thread { [self] in
                serve(client, refuse: open > options.maxConnections)
                connections.subtract(1, ordering: .relaxed)
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        stopping.store(true, ordering: .relaxed)
    }

    /// Waits up to `timeout` seconds for requests being answered to finish.
    public func waitForRequests(timeout: Double) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while requestsInFlight.load(ordering: .relaxed) > 0 && Date() < deadline { usleep(20_000) }
    }

    private func serve(_ socket: Socket, refuse: Bool) {
        let closing: [(name: String, value: String)] = [("Connection", "close")]
        if refuse {
            let error = APIError(status: 503, message: "too many open connections", type: "server_error", code: "overloaded")
            _ = HTTPResponder(socket: socket, keepAlive: false).send(.json(503, error.json, headers: closing))
            return
        }
        socket.setTimeouts(seconds: options.idleTimeout)
        let reader = HTTPRequestReader(socket: socket)
        while !stopping.load(ordering: .relaxed) {
            switch reader.readHead() {
            case .closed:
                return
            case .failure(let failure):
                _ = HTTPResponder(socket: socket, keepAlive: false).send(failure.apiError.response)
                return
            case .head(var head):
                if head.contentLength > options.maxBodyBytes {
                    let error = APIError(status: 413, message: "request body of \(head.contentLength) bytes is larger than the limit of \(options.maxBodyBytes)",
                                         code: "body_too_large")
                    _ = HTTPResponder(socket: socket, keepAlive: false).send(error.response)
                    discardUnread(socket)
                    return
                }
                if head.request.header("expect")?.lowercased() == "100-continue" {
                    guard socket.send(HTTPResponse.head(status: 100, headers: [])) else { return }
                }
                guard let body = reader.readBody(count: head.contentLength) else { return }
                head.request.body = body
                requestsInFlight.add(1, ordering: .relaxed)
                let responder = HTTPResponder(socket: socket, keepAlive: head.request.keepAlive && !stopping.load(ordering: .relaxed))
                handler.handle(head.request, responder: responder)
                requestsInFlight.subtract(1, ordering: .relaxed)
                if !responder.keepAlive || responder.broken { return }
            }
        }
    }

    /// Reads and drops what the client is still sending after an early answer, so closing does not
    /// reset the connection before the client has read the answer (RFC 9112 §9.6).
    private func discardUnread(_ socket: Socket) {
        socket.shutdownWrite()
        socket.setTimeouts(seconds: 1)
        var sink: [UInt8] = []
        var total = 0
        while total < 16 << 20 {
            sink.removeAll(keepingCapacity: true)
            let n = socket.receive(into: &sink)
            if n == 0 { break }
            total += n
        }
    }
}
