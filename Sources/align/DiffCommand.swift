import AlignReports
import ArgumentParser
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `align diff RUN_A RUN_B [--json]`: what changed between two runs and how their metrics moved.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two run folders: params, models, settings, script and module lines, metric deltas.",
        discussion: """
        Deltas are B − A. Means of numeric output columns and win rates of outcome columns get \
        seeded percentile-bootstrap intervals, paired by input hash when both runs have the same \
        inputs, unpaired otherwise.
        """)

    @Argument(help: ArgumentHelp("The earlier run's folder (A), or NAME for runs/NAME.", valueName: "run-a"))
    var runA: String

    @Argument(help: ArgumentHelp("The later run's folder (B), or NAME for runs/NAME.", valueName: "run-b"))
    var runB: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(help: "Bootstrap resamples.")
    var resamples = 2000

    @Option(help: "Seed of the bootstrap resampling.")
    var seed: UInt64 = 0

    func validate() throws {
        guard resamples > 0 && resamples <= 1_000_000 else {
            throw ValidationError("--resamples must be between 1 and 1000000")
        }
    }

    func run() throws {
        let a: RecordedRun, b: RecordedRun
        do {
            a = try RecordedRun(folder: RecordedRun.folder(named: runA))
            b = try RecordedRun(folder: RecordedRun.folder(named: runB))
        } catch let e as ReportError {
            fputs("error: \(e)\n", stderr)
            throw ExitCode(Sysexits.usage)
        }
        var options = RunDiff.Options()
        options.resamples = resamples
        options.seed = seed
        let diff = RunDiff(a, b, options: options)
        print(json ? try diff.json() : diff.text(), terminator: "")
    }
}
