import AlignSyntax
import Foundation
import Testing
@testable import AlignRuntime

/// Run folders: manifest, append-only rows, summary, and resuming after an interruption.
@Suite struct InterpreterRunTests {
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

    func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("align-run-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func run(in dir: String, overrides: [String: Value] = [:]) -> (String, Interpreter.Outcome) {
        var options = Interpreter.Options()
        options.runsDirectory = dir + "/runs"
        options.paramOverrides = overrides
        options.toolVersion = "test-version"
        return InterpreterTests.run(Self.script, options: options, path: dir + "/study.align")
    }

    @Test func writesManifestRowsAndSummary() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (output, outcome) = run(in: dir)
        #expect(outcome.diagnostics.isEmpty)
        #expect(outcome.value == .list([.int(10), .int(20), .int(30)]))
        #expect(output == "computing a\ncomputing b\ncomputing c\n")

        let folder = dir + "/runs/study"
        let manifest = try JSON.parse(try String(contentsOfFile: folder + "/manifest.json", encoding: .utf8))
        guard case .record(let m) = manifest, case .record(let script)? = m["script"] else {
            Issue.record("manifest is not a record with a script")
            return
        }
        #expect(m.keys == ["tool", "version", "run", "script", "modules", "params", "prompts", "started", "finished", "rows"])
        #expect(m["version"] == .string("test-version"))
        #expect(script["text"] == .string(Self.script))
        #expect(script["sha256"] == .string(SHA256.hex(Self.script)))
        #expect(m["params"] == .record(Record([("scale", .int(10))])))
        #expect(m["prompts"] == .list([.record(Record([("name", .string("ask")), ("text", .string("prompt ask(q) = \"Q: {q}\""))]))]))
        #expect(m["rows"] == .record(Record([("input", .int(3)), ("computed", .int(3)), ("reused", .int(0))])))

        let lines = try String(contentsOfFile: folder + "/rows.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let first = try JSON.parse(String(lines[0]))
        guard case .record(let row) = first else { return }
        #expect(row["output"] == .record(Record([("q", .string("a")), ("scaled", .int(10)), ("prompt", .string("Q: a"))])))
        #expect(FileManager.default.fileExists(atPath: folder + "/summary.json"))
    }

    @Test func rerunResumesAndChangedParamsRecompute() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = run(in: dir)
        // Simulate a crash in the middle of the last row's line.
        let rowsPath = dir + "/runs/study/rows.jsonl"
        var text = try String(contentsOfFile: rowsPath, encoding: .utf8)
        text.removeLast(10)
        try text.write(toFile: rowsPath, atomically: false, encoding: .utf8)

        let (output, outcome) = run(in: dir)
        #expect(output == "computing c\n")
        #expect(outcome.value == .list([.int(10), .int(20), .int(30)]))

        let (changed, _) = run(in: dir, overrides: ["scale": .int(2)])
        #expect(changed == "computing a\ncomputing b\ncomputing c\n")
    }

    @Test func sha256MatchesTheStandardsExamples() {
        // FIPS 180-2, appendix B.1 and B.2.
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
