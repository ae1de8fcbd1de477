import AlignEngine
import AlignRuntime
import Foundation
import Testing

/// With SmolLM2 sampling: two runs with one seed write identical `rows.jsonl`, another seed does
/// not, the manifest names the model's file digest (checked against `sha256sum`) and the calls'
/// sampler and seeds, and a repeated run is served by the result cache (`align cache info|clear`).
@Suite(.serialized, .enabled(if: BootstrapModels.shouldRun)) struct RunSeedCacheTests {
    static let script = """
    param seed = 7
    let lm = model("smollm2")
    let rows = table([{q: "Name a colour."}, {q: "Name a fruit."}, {q: "Name a city."}])
    let out = run "sampled" over rows as row {
      {q: row.q, a: chat(lm, row.q, max_tokens: 12, temperature: 0.9, top_p: 0.95, seed: seed)}
    }
    """

    @Test func sameSeedSameRowsAndRepeatsComeFromTheCache() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        // The CLI gets its own cache folder; the installed models are linked into it.
        try FileManager.default.createDirectory(atPath: cli.folder + "/cache/align", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: cli.folder + "/cache/align/models", withDestinationPath: ModelResolver().alignModelsRoot)
        try cli.write(Self.script, to: "sampled.align")

        for folder in ["a", "b"] {
            let r = try cli.run(["run", "sampled.align", "--no-cache", "--runs", folder])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let a = try cli.read("a/sampled/rows.jsonl"), b = try cli.read("b/sampled/rows.jsonl")
        #expect(a.split(separator: "\n").count == 3)
        #expect(a == b)
        let otherSeed = try cli.run(["run", "sampled.align", "seed=8", "--no-cache", "--runs", "c"])
        #expect(otherSeed.status == 0, "\(otherSeed.stderr)")
        #expect(try cli.read("c/sampled/rows.jsonl") != a)

        let manifest = try cli.read("a/sampled/manifest.json")
        guard case .record(let m) = try JSON.parse(manifest), case .list(let models)? = m["models"],
              case .record(let lm)? = models.first, case .list(let files)? = lm["files"], case .record(let file)? = files.first,
              case .string(let path)? = file["path"], case .list(let calls)? = m["calls"], case .record(let call)? = calls.first,
              case .record(let sampler)? = call["sampler"] else {
            Issue.record("manifest lacks models/calls: \(manifest.prefix(400))")
            return
        }
        #expect(lm["id"] == .string("smollm2"))
        #expect(lm["sha256"] == file["sha256"])
        #expect(file["sha256"] == .string(try Self.sha256sum(path)))
        if case .string(let t)? = lm["tokenizer_sha256"] { #expect(t.count == 64) } else { Issue.record("tokenizer digest") }
        #expect(call["seeds"] == .list([.int(7)]))
        #expect(call["calls"] == .int(3))
        #expect(call["cached"] == .int(0))
        #expect(sampler["temperature"] == .string("0.9"))
        #expect(m["cache"] == .null)

        let filled = try cli.run(["run", "sampled.align", "--runs", "d"])
        #expect(filled.status == 0, "\(filled.stderr)")
        #expect(try cli.run(["cache", "info"]).stdout.contains("entries  3"))
        let served = try cli.run(["run", "sampled.align", "--runs", "e"])
        #expect(served.status == 0, "\(served.stderr)")
        #expect(try cli.read("e/sampled/rows.jsonl") == a)
        let servedManifest = try cli.read("e/sampled/manifest.json")
        #expect(servedManifest.contains("\"cached\": 3"))
        #expect(!served.stderr.contains("tokens ("))
        let cleared = try cli.run(["cache", "clear"])
        #expect(cleared.stdout.contains("removed 3 entries"))
        #expect(try cli.run(["cache", "info"]).stdout.contains("entries  0"))
    }

    static func sha256sum(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }
}
