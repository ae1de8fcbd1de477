import AlignRuntime
import Foundation
import Testing

/// `align run` as a user runs it, through the built binary: the SIGKILL crash test, the resume
/// policy flags, replay, and the 10,000-row overhead measurement.
@Suite(.serialized) struct RunCommandTests {
    /// A run that takes a few seconds: each row spins a small loop.
    static let slowScript = """
    param n = 150
    param spin = 30000
    fn work(i) {
      var acc = 0
      for k in range(spin) { acc = (acc * 31 + k + i) % 1000003 }
      acc
    }
    let rows = map(range(n), i => {i: i})
    let out = run "crash" over rows as row {
      {i: row.i, v: work(row.i), label: "row {row.i}"}
    }
    print(len(out))
    """

    @Test func sigkillAtTenRandomMomentsLosesAndDuplicatesNothing() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.write(Self.slowScript, to: "crash.align")

        let start = Date()
        let reference = try cli.run(["run", "crash.align", "--runs", "reference"])
        let duration = Date().timeIntervalSince(start)
        #expect(reference.status == 0, "\(reference.stderr)")
        let expected = try cli.read("reference/crash/rows.jsonl")
        print("crash test: uninterrupted run \(String(format: "%.2f", duration)) s, \(expected.split(separator: "\n").count) rows")

        var generator = SplitMix(seed: UInt64(Date().timeIntervalSince1970 * 1000))
        print("crash test: kill moments seeded with \(generator.seed)")
        var linesAfterKills: [Int] = []
        for k in 0..<10 {
            // Each restart resumes, so kills come early enough that most land mid-run: ten kills
            // average half an uninterrupted run. The fixed part stays small — a fixed 0.1 s per
            // kill was most of the run once start-up got faster, and the run finished by kill 5.
            let delay = 0.02 + Double(generator.next() % 1000) / 1000 * duration / 10
            try cli.killed(["run", "crash.align", "--runs", "interrupted"], after: delay)
            let text = (try? cli.read("interrupted/crash/rows.jsonl")) ?? ""
            linesAfterKills.append(text.split(separator: "\n").count)
            if k == 4 {
                // What a SIGKILL in the middle of a write leaves: a line without its newline.
                try cli.append("{\"input_hash\":\"0f3a", to: "interrupted/crash/rows.jsonl")
            }
        }
        print("crash test: rows on disk after each kill: \(linesAfterKills)")
        #expect(linesAfterKills.filter { $0 < 150 }.count >= 5, "most kills should interrupt the run")
        let final = try cli.run(["run", "crash.align", "--runs", "interrupted"])
        #expect(final.status == 0, "\(final.stderr)")
        let resumed = try cli.read("interrupted/crash/rows.jsonl")
        #expect(resumed == expected)
        let hashes = resumed.split(separator: "\n").compactMap { line -> String? in
            guard case .record(let r)? = try? JSON.parse(String(line)), case .string(let h)? = r["input_hash"] else { return nil }
            return h
        }
        #expect(hashes.count == 150)
        #expect(Set(hashes).count == 150)
        #expect(final.stderr.contains("run crash: 150 rows"))
    }

    @Test func changedParamIsRefusedUnlessResumeOrFresh() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.write(Self.slowScript, to: "study.align")
        let first = try cli.run(["run", "study.align", "n=6", "spin=10"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("run crash: 6 rows (6 computed, 0 reused)"))

        let again = try cli.run(["run", "study.align", "n=6", "spin=10"])
        #expect(again.stderr.contains("run crash: 6 rows (0 computed, 6 reused)"))

        let refused = try cli.run(["run", "study.align", "n=8", "spin=10"])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("param `n` was 6, now 8"))
        #expect(try cli.read("runs/crash/rows.jsonl").split(separator: "\n").count == 6)

        let resumed = try cli.run(["run", "study.align", "n=8", "spin=10", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("run crash: 8 rows (2 computed, 6 reused)"))
        let manifest = try cli.read("runs/crash/manifest.json")
        #expect(manifest.contains("\"resumed_despite\""))

        let fresh = try cli.run(["run", "study.align", "n=8", "spin=10", "--fresh"])
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(fresh.stderr.contains("run crash: 8 rows (8 computed, 0 reused)"))
        let moved = try FileManager.default.contentsOfDirectory(atPath: cli.folder + "/runs").filter { $0.hasPrefix("crash.old-") }
        #expect(moved.count == 1)

        let both = try cli.run(["run", "study.align", "--fresh", "--resume"])
        #expect(both.status == 64)
    }

    @Test func replayChecksRowsByteForByte() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.write(Self.slowScript, to: "study.align")
        #expect(try cli.run(["run", "study.align", "n=5", "spin=10"]).status == 0)
        // Editing the script file afterwards does not matter: the replay runs the manifest's text.
        try cli.write("print(\"edited\")\n", to: "study.align")

        let same = try cli.run(["run", "--replay", "runs/crash"])
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stderr.contains("replay of run crash: rows.jsonl identical (5 rows)"))

        let rows = try cli.read("runs/crash/rows.jsonl")
        try cli.write(rows.replacingOccurrences(of: "\"label\": \"row 1\"", with: "\"label\": \"row one\""), to: "runs/crash/rows.jsonl")
        let tampered = try cli.run(["run", "--replay", "runs/crash"])
        #expect(tampered.status == 1)
        #expect(tampered.stderr.contains("differs at line 2 of rows.jsonl"))
        #expect(tampered.stderr.contains("row one"))

        let notARun = try cli.run(["run", "--replay", "nowhere"])
        #expect(notARun.status == 64)
        #expect(notARun.stderr.contains("is `nowhere` a run folder?"))
    }

    @Test func tenThousandTrivialRowsRunUnderTwoSeconds() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        var csv = "id,n\n"
        for i in 0..<10_000 { csv += "\(i),\(i % 97)\n" }
        try cli.write(csv, to: "rows.csv")
        try cli.write("""
            let out = run "overhead" over read("rows.csv") as row { {id: row.id, twice: row.n * 2} }
            print(len(out))
            """, to: "overhead.align")
        // bash's `time` reports the process's own wall and CPU seconds on stderr's last line.
        let result = try cli.run(["/bin/bash", "-c", "TIMEFORMAT='%R %U %S'; time \"$0\" run overhead.align", cli.binary], direct: true)
        let times = result.stderr.split(separator: "\n").last.map { $0.split(separator: " ").compactMap { Double($0) } } ?? []
        #expect(times.count == 3, "\(result.stderr)")
        let wall = times.first ?? .infinity, cpu = times.dropFirst().reduce(0, +)
        print("overhead: 10,000-row run with a trivial body: \(wall) s wall, \(cpu) s CPU (whole process, CSV read included)")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "10000\n")
        #expect(try cli.read("runs/overhead/rows.jsonl").split(separator: "\n").count == 10_000)
        // CPU time is what the run costs; wall time also counts waiting for cores other tests hold.
        #expect(cpu < 2)
        #expect(wall < 10)
        let rerun = try cli.run(["run", "overhead.align"])
        #expect(rerun.stderr.contains("(0 computed, 10000 reused)"))
    }
}

/// SplitMix64, for kill moments that a printed seed reproduces.
struct SplitMix {
    let seed: UInt64
    private var state: UInt64

    init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
