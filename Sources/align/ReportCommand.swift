import AlignReports
import ArgumentParser
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `align report RUN [-o FILE.html]`: a self-contained HTML page about one run folder.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of a run folder (manifest, metrics, charts, rows).",
        discussion: "The page needs no network: CSS, SVG charts and its small row-filter script are inline.")

    @Argument(help: ArgumentHelp("The run's folder, such as runs/NAME (or just NAME when runs/NAME exists).", valueName: "run"))
    var folder: String

    @Option(name: [.short, .long], help: "Where to write the page (default: RUN/report.html).")
    var output: String?

    @Option(help: "How many rows the browsable sample shows.")
    var rows: Int = RunReport.defaultSampleSize

    func run() throws {
        let runFolder = RecordedRun.folder(named: folder)
        let recorded: RecordedRun
        do {
            recorded = try RecordedRun(folder: runFolder)
        } catch let e as ReportError {
            fputs("error: \(e)\n", stderr)
            throw ExitCode(Sysexits.usage)
        }
        let path = output ?? RunReport.defaultPath(for: runFolder)
        do {
            try RunReport(run: recorded, sampleSize: rows).write(to: path)
        } catch let e as ReportError {
            fputs("error: \(e)\n", stderr)
            throw ExitCode(Sysexits.dataError)
        }
        print("wrote \(path)")
    }
}
