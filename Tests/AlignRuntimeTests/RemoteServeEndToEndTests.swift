import AlignTestSupport
import Foundation
import Testing

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
        let binary = try #require(AlignBinary.path(), "\(AlignBinary.missing)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("align-remote-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.script.write(toFile: dir + "/study.align", atomically: true, encoding: .utf8)

        let server = try ServerProcess(model: "smollm2")
        defer { _ = server.stop() }
        let url = "http://127.0.0.1:\(server.port)/v1"

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
