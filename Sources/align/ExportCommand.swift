import AlignNotebook
import ArgumentParser

/// `align export FILE --to ipynb|md|align`: a percent-format script (`# %%` cells) or a
/// notebook converted, running the cells first so the result carries their outputs.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Convert a script with `# %%` cells (or a notebook) to a Jupyter notebook, Markdown or a script.",
        discussion: "A .align script is run cell by cell first (like `jupyter nbconvert --execute`), stopping at the first failing cell; the file is written either way, and the exit status is 65 if a cell failed.")

    @Argument(help: "A .align script (cells start at `# %%` lines) or a .ipynb notebook.")
    var file: String

    @Option(name: .customLong("to"), help: "Output format: ipynb, md or align.")
    var format: NotebookRunner.ExportFormat = .ipynb

    @Option(name: [.short, .long], help: "Where to write (default: the input's name with the new extension).")
    var output: String?

    @Flag(name: .customLong("no-execute"), help: "Convert without running the cells (outputs of a notebook are kept).")
    var noExecute = false

    mutating func run() throws {
        let execute = !noExecute && !file.hasSuffix(".ipynb")
        let status = NotebookRunner.exportCommand(file, to: format, output: output, execute: execute)
        if status != 0 { throw ExitCode(status) }
    }
}

extension NotebookRunner.ExportFormat: ExpressibleByArgument {}
