import AlignTestSupport
import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A finished HTTP exchange as the client saw it.
struct ClientResponse {
    let status: Int
    let body: String

    /// The body as a JSON object (a failure if it is not one).
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(body.prefix(300))")
        }
        return object
    }

    /// `error.code` of an OpenAI-style error body.
    var errorCode: String? { ((try? json())?["error"] as? [String: Any])?["code"] as? String }

    /// The `data:` payloads of a server-sent event stream, in order.
    var events: [String] {
        body.components(separatedBy: "\n\n").compactMap { block in
            block.hasPrefix("data: ") ? String(block.dropFirst(6)) : nil
        }
    }
}

/// Drives the server with the `curl` command-line tool, as a user would.
enum Curl {
    static func run(_ arguments: [String]) throws -> ClientResponse {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-sS", "--max-time", "120", "-w", "\n%{http_code}"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard let newline = text.lastIndex(of: "\n"), let status = Int(text[text.index(after: newline)...]) else {
            throw TestFailure("curl gave no status (exit \(process.terminationStatus)): \(text.prefix(300))")
        }
        return ClientResponse(status: status, body: String(text[..<newline]))
    }

    static func post(_ port: Int, _ path: String, json: String, headers: [String] = []) throws -> ClientResponse {
        try run(["-X", "POST", "http://127.0.0.1:\(port)\(path)", "-H", "Content-Type: application/json", "--data-binary", json]
                + headers.flatMap { ["-H", $0] })
    }

    static func get(_ port: Int, _ path: String, headers: [String] = []) throws -> ClientResponse {
        try run(["http://127.0.0.1:\(port)\(path)"] + headers.flatMap { ["-H", $0] })
    }
}

/// A plain TCP connection for what curl cannot do: malformed requests and hanging up mid-stream.
final class RawConnection {
    private(set) var fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw TestFailure("connect failed: \(String(cString: strerror(errno)))") }
        var time = timeval(tv_sec: 60, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Closes the connection abruptly, as a client that goes away does.
    func hangUp() {
        close(fd)
        fd = -1
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until `marker` has arrived (or the peer closes / times out); returns everything read.
    func read(until marker: String) -> String {
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: data, as: UTF8.self).contains(marker) {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 4096, 0) }
            if n <= 0 { break }
            data += chunk[0..<n]
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The status code of the first response line in `text`.
    static func status(_ text: String) -> Int? {
        guard text.hasPrefix("HTTP/1.1 ") else { return nil }
        return Int(text.dropFirst(9).prefix(3))
    }
}
