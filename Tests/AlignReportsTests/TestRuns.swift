import AlignReports
import AlignRuntime
import AlignSyntax
import Foundation

/// Run folders for the tests: real ones written by the interpreter from a small script, and
/// in-memory ones for exact cases.
enum TestRuns {
    /// A fresh empty folder under the system temporary folder.
    static func scratchFolder(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("align-reports-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A model-free study: an objective and a dataset per row, a numeric score, token counts,
    /// a judge verdict, and answer text full of markup that must come out escaped.
    static let studyScript = """
    param n = 24
    param shift = 0.0
    let objectives = ["harmlessness", "helpfulness", "humour"]
    let verdicts = ["win", "tie", "loss", "win"]
    let inputs = range(n) |> map(i => {i: i, objective: objectives[i % 3]})
    let r = run "study" over inputs as row {
        let score = (row.i * 7 % 11) / 10.0 + shift
        {objective: row.objective, dataset: if row.i < 12 { "DR" } else { "SAD" }, score: score,
         tokens: row.i * 3 % 17, verdict: verdicts[row.i % 4],
         answer: "<b>bold</b> & \\"q\\" </script><script>alert(1)</script> #{row.i}"}
    }
    """

    /// Runs `script` (saved as `study.align` in `folder`) with the interpreter; returns the run folder.
    static func runScript(_ script: String = studyScript, in folder: String,
                          overrides: [String: Value] = [:]) throws -> String {
        let path = folder + "/study.align"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        var options = Interpreter.Options()
        options.scriptDirectory = folder
        options.runsDirectory = folder + "/runs"
        options.paramOverrides = overrides
        options.output = { _ in }
        let outcome = Interpreter(options: options).run(SourceFile(path: path, text: script))
        guard outcome.succeeded else {
            throw TestFailure("script failed: \(outcome.diagnostics.map(\.message)) \(outcome.assertionFailures.map(\.message))")
        }
        return folder + "/runs/study"
    }

    /// A run held in memory: rows with the given input hashes and outputs.
    static func run(folder: String = "mem", manifest: Record? = nil, summary: Record? = nil,
                    rows: [(String?, Record)]) -> RecordedRun {
        RecordedRun(folder: folder, manifest: manifest, summary: summary,
                    rows: rows.map { RecordedRun.Row(inputHash: $0.0, output: $0.1) })
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
