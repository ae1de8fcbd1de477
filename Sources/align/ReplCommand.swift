import AlignNotebook
import ArgumentParser

/// `align repl` (and `align` with no arguments): the notebook-style REPL.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Open the notebook-style REPL (what `align` with no arguments does).",
        discussion: "Cells are numbered In [n]/Out[n]; `_` is the last value and `out[n]` any earlier one. Type :help at the prompt for the commands. With piped input (`echo '1+2' | align`) values print without prompts and the exit status is 65 if a cell failed.")

    mutating func run() throws {
        let repl = Repl.standard()
        repl.banner = "align \(AlignVersion.current) — :help for commands, Tab completes, Ctrl-D leaves"
        let status = repl.run()
        if status != 0 { throw ExitCode(status) }
    }
}
