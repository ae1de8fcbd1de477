import ArgumentParser
import AlignRuntime
import AlignSyntax

/// `align check FILE`: parse and resolve names without running anything.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a script for syntax errors, unknown names and imports, without running it.")

    @ArgumentParser.Argument(help: "The .align script.")
    var file: String

    mutating func run() throws {
        let terminal = Terminal()
        let source = try ScriptLoading.load(file, terminal: terminal)
        let parsed = Parser.parse(source)
        var options = Interpreter.Options()
        options.scriptDirectory = SourceFiles.directory(of: file)
        let diagnostics = Interpreter(options: options).check(parsed.program, parseDiagnostics: parsed.diagnostics)
        if !diagnostics.isEmpty {
            terminal.report(diagnostics)
            throw ExitCode(Sysexits.dataError)
        }
    }
}
