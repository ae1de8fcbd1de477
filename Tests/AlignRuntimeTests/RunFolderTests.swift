import AlignSyntax
import Foundation
import Testing
@testable import AlignRuntime

/// Run folders in process: manifest, append-only rows, summary, resuming after an interruption
/// (torn last line), refusing a changed setup, and settling `rows.jsonl` to exactly the rows of
/// the last run. (Policies that need command-line flags are in `RunCommandTests`.)
@Suite struct RunFolderTests {
    static let script = """
    param scale = 10
    prompt ask(q) = "Q: {q}"
    let rows = table([{q: "a", n: 1}, {q: "b", n: 2}, {q: "c", n: 3}])
    let out = run "study" over rows as row {
      print("computing {row.q}")
      {q: row.q, scaled: row.n * scale, prompt: ask(row.q)}
    }
    out.scaled
    """

    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("align-run-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func run(_ script: String = RunFolderTests.script, in dir: String, overrides: [String: Value] = [:]) -> (String, Interpreter.Outcome) {
        var options = Interpreter.Options()
        options.runsDirectory = dir + "/runs"
        options.paramOverrides = overrides
        options.toolVersion = "test-version"
        return InterpreterTests.run(script, options: options, path: dir + "/study.align")
    }

    func manifest(_ dir: String) throws -> Record {
        let v = try JSON.parse(try String(contentsOfFile: dir + "/runs/study/manifest.json", encoding: .utf8))
        guard case .record(let m) = v else { throw JSONShapeError() }
        return m
    }

    struct JSONShapeError: Error {}

    @Test func writesManifestRowsAndSummary() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (output, outcome) = run(in: dir)
        #expect(outcome.diagnostics.isEmpty)
        #expect(outcome.value == .list([.int(10), .int(20), .int(30)]))
        #expect(output == "computing a\ncomputing b\ncomputing c\n")

        let m = try manifest(dir)
        guard case .record(let script)? = m["script"] else {
            Issue.record("manifest has no script record")
            return
        }
        #expect(m.keys == ["tool", "version", "commit", "commit_source", "run", "script", "modules", "params", "prompts",
                           "platform", "threads", "models", "calls", "cache", "started", "finished", "rows"])
        #expect(m["version"] == .string("test-version"))
        #expect(script["text"] == .string(Self.script))
        #expect(script["sha256"] == .string(SHA256.hex(Self.script)))
        #expect(m["params"] == .record(Record([("scale", .int(10))])))
        #expect(m["prompts"] == .list([.record(Record([("name", .string("ask")), ("text", .string("prompt ask(q) = \"Q: {q}\""))]))]))
        #expect(m["rows"] == .record(Record([("input", .int(3)), ("computed", .int(3)), ("reused", .int(0))])))
        #expect(m["calls"] == .list([]))
        guard case .record(let platform)? = m["platform"], case .record(let threads)? = m["threads"] else {
            Issue.record("platform and threads are records")
            return
        }
        #expect(platform["os"] == .string("Linux"))
        if case .int(let n)? = threads["engine"] { #expect(n >= 1) } else { Issue.record("threads.engine is an int") }
        if case .string(let finished)? = m["finished"] { #expect(finished.hasSuffix("Z")) } else { Issue.record("finished is set") }

        let lines = try String(contentsOfFile: dir + "/runs/study/rows.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        guard case .record(let row) = try JSON.parse(String(lines[0])) else { return }
        #expect(row["output"] == .record(Record([("q", .string("a")), ("scaled", .int(10)), ("prompt", .string("Q: a"))])))
        #expect(FileManager.default.fileExists(atPath: dir + "/runs/study/summary.json"))
    }

    @Test func tornLastLineIsDroppedAndItsRowRecomputed() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = run(in: dir)
        let rowsPath = dir + "/runs/study/rows.jsonl"
        let complete = try String(contentsOfFile: rowsPath, encoding: .utf8)
        // A SIGKILL in the middle of writing the last row leaves a line without its newline.
        try String(complete.dropLast(10)).write(toFile: rowsPath, atomically: false, encoding: .utf8)

        let (output, outcome) = run(in: dir)
        #expect(output == "computing c\n")
        #expect(outcome.value == .list([.int(10), .int(20), .int(30)]))
        #expect(try String(contentsOfFile: rowsPath, encoding: .utf8) == complete)
        #expect(try manifest(dir)["rows"] == .record(Record([("input", .int(3)), ("computed", .int(1)), ("reused", .int(2))])))
    }

    @Test func changedParamIsRefusedWithWhatChanged() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = run(in: dir)
        let before = try String(contentsOfFile: dir + "/runs/study/rows.jsonl", encoding: .utf8)
        let (output, outcome) = run(in: dir, overrides: ["scale": .int(2)])
        #expect(output == "")
        let message = try #require(outcome.diagnostics.first?.message)
        #expect(message.contains("was made by a different setup: param `scale` was 10, now 2"))
        #expect(outcome.diagnostics.first?.help?.contains("--fresh") == true)
        #expect(try String(contentsOfFile: dir + "/runs/study/rows.jsonl", encoding: .utf8) == before)
    }

    @Test func changedScriptIsRefusedNamingTheLine() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = run(in: dir)
        let edited = Self.script.replacingOccurrences(of: "{q: \"c\", n: 3}", with: "{q: \"c\", n: 4}")
        let (_, outcome) = run(edited, in: dir)
        let message = try #require(outcome.diagnostics.first?.message)
        #expect(message.contains("the script changed (first difference at line 3)"))
    }

    @Test func rowsOfAnEarlierInputAreNotKept() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // One script runs `study` twice over different rows: the folder ends with the second's rows only.
        let script = """
        let first = run "study" over [{q: "a"}, {q: "b"}] as row { print("computing {row.q}"); {q: row.q} }
        let second = run "study" over [{q: "b"}, {q: "c"}] as row { print("computing {row.q}"); {q: row.q} }
        second.q
        """
        let (output, outcome) = run(script, in: dir)
        #expect(outcome.diagnostics.isEmpty)
        #expect(output == "computing a\ncomputing b\ncomputing c\n")
        let lines = try String(contentsOfFile: dir + "/runs/study/rows.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.contains("\"q\": \"b\"") || $0.contains("\"q\": \"c\"") })
    }

    @Test func sha256MatchesTheStandardsExamples() {
        // FIPS 180-2, appendix B.1 and B.2.
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func streamedSHA256EqualsOneShotAcrossChunkBoundaries() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = SHA256.hex(bytes)
        for chunk in [1, 3, 63, 64, 65, 200] {
            var h = SHA256.Hasher()
            var i = 0
            while i < bytes.count {
                let end = min(i + chunk, bytes.count)
                bytes[i..<end].withUnsafeBytes { h.update($0) }
                i = end
            }
            #expect(SHA256.hexText(h.finish()) == whole, "chunk \(chunk)")
        }
        // FIPS 180-2 B.3: one million 'a'.
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
