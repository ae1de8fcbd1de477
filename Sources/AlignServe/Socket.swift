#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A TCP socket over the POSIX calls, closed when released. Writes never raise SIGPIPE: a peer
/// that went away shows up as a failed write.
final class Socket: @unchecked Sendable {
    let fd: Int32

    init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// A listening socket on `host:port` (port 0: any free port), trying each address the name
    /// resolves to.
    static func listen(host: String, port: Int, backlog: Int32 = 512) throws(ServeError) -> Socket {
        guard (0...65535).contains(port) else { throw .startup("port must be between 0 and 65535, got \(port)") }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .startup("cannot resolve host `\(host)`: \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let info = node {
            node = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { lastError = Self.errnoText(); continue }
            var one: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            if bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0, Glibc.listen(fd, backlog) == 0 {
                return Socket(fd: fd)
            }
            lastError = Self.errnoText()
            close(fd)
        }
        throw .startup("cannot listen on \(host):\(port): \(lastError)")
    }

    /// The port the socket is bound to (the one the kernel chose for port 0).
    var localPort: Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { return 0 }
        return withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }

    /// The next connection, or nil when accept failed (the caller polls again).
    func accept() -> Socket? {
        let client = Glibc.accept(fd, nil, nil)
        return client >= 0 ? Socket(fd: client) : nil
    }

    /// Gives up on a read or write that makes no progress for `seconds`.
    func setTimeouts(seconds: Int) {
        var time = timeval(tv_sec: seconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Appends up to `limit` received bytes to `buffer`; 0 at end of stream or on error/timeout.
    func receive(into buffer: inout [UInt8], limit: Int = 65536) -> Int {
        var chunk = [UInt8](repeating: 0, count: limit)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, limit, 0) }
        guard n > 0 else { return 0 }
        buffer.append(contentsOf: chunk[0..<n])
        return n
    }

    /// Sends all of `bytes`; false if the peer is gone or the send timed out.
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return Glibc.send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// Whether the peer has closed its side or reset the connection (checked without blocking;
    /// unread request bytes do not count as a close).
    var peerHasClosed: Bool {
        var probe = pollfd(fd: fd, events: Int16(POLLIN) | Self.pollReadHangUp, revents: 0)
        guard poll(&probe, 1, 0) > 0 else { return false }
        if probe.revents & (Int16(POLLHUP) | Int16(POLLERR) | Self.pollReadHangUp) != 0 { return true }
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
    }

    /// Stops sending (the peer sees end of stream) while still allowing reads.
    func shutdownWrite() { _ = Glibc.shutdown(fd, Int32(SHUT_WR)) }

    /// Linux's POLLRDHUP (peer shut down its writing side), which Glibc's Swift overlay does not export.
    static let pollReadHangUp: Int16 = 0x2000

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
