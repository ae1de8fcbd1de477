import AlignTestSupport
import AlignRuntime
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The built `align` binary in a scratch folder with its own `XDG_CACHE_HOME`.
struct CLI {
    let binary: String
    let folder: String

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    init() throws {
        guard let binary = AlignBinary.path() else {
            Issue.record("no built `align` binary next to the tests or under .build/{release,debug}; run `swift build` first or set ALIGN_BINARY")
            throw CLIError.noBinary
        }
        self.binary = binary
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("align-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    enum CLIError: Error { case noBinary }


    func cleanUp() { try? FileManager.default.removeItem(atPath: folder) }

    func write(_ text: String, to name: String) throws {
        try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    }

    func append(_ text: String, to name: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/" + name))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
    }

    /// `align ARGUMENTS`, or with `direct` the program `arguments[0]` with the rest.
    private func process(_ arguments: [String], direct: Bool = false) -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: direct ? arguments.first ?? binary : binary)
        p.arguments = direct ? Array(arguments.dropFirst()) : arguments
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = folder + "/cache"
        env["NO_COLOR"] = "1"
        p.environment = env
        return p
    }

    /// Runs to completion and collects both streams (through files, so large output cannot block).
    func run(_ arguments: [String], direct: Bool = false, environment: [String: String] = [:]) throws -> Result {
        let p = process(arguments, direct: direct)
        if !environment.isEmpty { p.environment = p.environment?.merging(environment) { $1 } }
        let out = folder + "/.stdout-\(UUID().uuidString)", err = folder + "/.stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try p.run()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: try String(contentsOfFile: out, encoding: .utf8),
                      stderr: try String(contentsOfFile: err, encoding: .utf8))
    }

    /// Starts the command and kills it with SIGKILL after `seconds` (if it is still running).
    func killed(_ arguments: [String], after seconds: Double) throws {
        let p = process(arguments)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(UInt32(seconds * 1_000_000))
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }
}
