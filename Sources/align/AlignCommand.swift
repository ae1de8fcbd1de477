import ArgumentParser
import AlignRuntime

/// The `align` command: subcommands for scripts and notebooks; with no arguments it opens the REPL.
@main
struct AlignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "align",
        abstract: "A notebook-style language for multi-objective alignment and interpretable evaluation.",
        discussion: """
        Exit status: 0 ok, 1 an assertion failed, 64 usage error (bad arguments, missing script \
        file), 65 error in the script or its data, 70 internal error.
        """,
        version: AlignVersion.current,
        subcommands: [RunCommand.self, CheckCommand.self, ReplCommand.self, ExportCommand.self, ModelsCommand.self, CacheCommand.self, ServeCommand.self,
                      BenchCommand.self, QuantizeCommand.self, ReportCommand.self, DiffCommand.self])

    mutating func run() throws {
        var repl = ReplCommand()
        try repl.run()
    }
}

/// The tool's version, recorded in run manifests.
enum AlignVersion {
    static let current = "0.1.0"
}
