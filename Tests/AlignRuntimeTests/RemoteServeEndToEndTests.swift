import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The client against the real server: `align serve --model smollm2` on a free loopback port, and
/// the same `.align` run done by `align run` once with `model("smollm2")` in-process and once with
/// `model("openai:…")` through the server. Greedy, so rows.jsonl must be byte-identical.
@Suite(.serialized, .enabled(if: BootstrapModels.shouldRun, "SmolLM2 not installed (run scripts/bootstrap)"))
struct RemoteServeEndToEndTests {
    static let script = """
        param url = ""
        let lm = if url == "" { model("smollm2") } else { model("openai:" + url, name: "smollm2", concurrency: 2, timeout: 120) }
        let rows = table([{q: "The capital of France is"}, {q: "Once upon a time"}, {q: "The three primary colors are"}])
        let out = run "e2e" over rows as row {
          {q: row.q, text: generate(lm, row.q, max_tokens: 16), reply: chat(lm, row.q, max_tokens: 8)}
        }
        print(len(out))
        """

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

    /// Runs `align` to completion; returns its exit status and stderr.
    static func align(_ binary: String, _ arguments: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        let errors = Pipe()
        p.standardError = errors
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    @Test func aRunThroughTheServerEqualsTheInProcessRun() throws {
        let binary = try #require(Self.binary(), "no built `align` binary; run `swift build -c release` or set ALIGN_BINARY")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("align-remote-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.script.write(toFile: dir + "/study.align", atomically: true, encoding: .utf8)

        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary)
        server.arguments = ["serve", "--model", "smollm2", "--port", "0"]
        let serverErrors = Pipe()
        server.standardError = serverErrors
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer {
            kill(server.processIdentifier, SIGTERM)
            server.waitUntilExit()
        }
        var ready = ""
        let deadline = Date(timeIntervalSinceNow: 60)
        while !ready.contains("/v1\n") && Date() < deadline {
            let chunk = serverErrors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            ready += String(decoding: chunk, as: UTF8.self)
        }
        let match = try #require(ready.range(of: #"http://127\.0\.0\.1:\d+/v1"#, options: .regularExpression), "server did not start: \(ready)")
        let url = String(ready[match])

        let (localStatus, localErrors) = try Self.align(binary, ["run", dir + "/study.align", "--runs", dir + "/local", "--no-cache", "--quiet"])
        #expect(localStatus == 0, "\(localErrors)")
        let (remoteStatus, remoteErrors) = try Self.align(binary, ["run", dir + "/study.align", "url=\(url)", "--runs", dir + "/remote", "--no-cache", "--quiet"])
        #expect(remoteStatus == 0, "\(remoteErrors)")

        let local = try String(contentsOfFile: dir + "/local/e2e/rows.jsonl", encoding: .utf8)
        let remote = try String(contentsOfFile: dir + "/remote/e2e/rows.jsonl", encoding: .utf8)
        #expect(local.split(separator: "\n").count == 3)
        #expect(remote == local)
        let manifest = try String(contentsOfFile: dir + "/remote/e2e/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"backend\":\"openai\"") || manifest.contains("\"backend\": \"openai\""), "\(manifest.prefix(2000))")
        #expect(manifest.contains(url))
    }
}
