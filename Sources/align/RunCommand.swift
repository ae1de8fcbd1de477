import ArgumentParser
import AlignNotebook
import AlignRuntime
import AlignSyntax

/// `align run FILE [name=value …]`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a script.",
        discussion: "Overrides set a script's `param`s: `align run study.align n=200 model_id=smollm2`.")

    @ArgumentParser.Argument(help: "The .align script, or a .ipynb notebook whose code cells run in order.")
    var file: String

    @ArgumentParser.Argument(help: "`name=value` overrides for the script's params (ints, floats and true/false are parsed; anything else is a string).")
    var overrides: [String] = []

    @Option(help: "Folder for run outputs (default: `runs/` beside the script).")
    var runs: String?

    @Option(name: .customLong("step-budget"), help: ArgumentHelp("Stop after this many loop iterations and calls.", visibility: .hidden))
    var stepBudget: Int?

    @Option(help: "For a .ipynb notebook: where to write the executed notebook (default: in place).")
    var output: String?

    mutating func run() throws {
        if file.hasSuffix(".ipynb") {
            let status = NotebookRunner.runCommand(file, output: output)
            if status != 0 { throw ExitCode(status) }
            return
        }
        let terminal = Terminal()
        var parsedOverrides: [String: Value] = [:]
        for text in overrides {
            switch ParamOverride.parse(text) {
            case .success(let o): parsedOverrides[o.name] = o.value
            case .failure(let problem):
                terminal.error(problem.description)
                throw ExitCode(Sysexits.usage)
            }
        }
        let source = try ScriptLoading.load(file, terminal: terminal)
        let parsed = Parser.parse(source)
        guard parsed.diagnostics.isEmpty else {
            terminal.report(parsed.diagnostics)
            throw ExitCode(Sysexits.dataError)
        }
        var options = Interpreter.Options()
        options.scriptDirectory = SourceFiles.directory(of: file)
        options.paramOverrides = parsedOverrides
        options.stepBudget = stepBudget
        options.output = { terminal.write($0) }
        options.runsDirectory = runs
        options.toolVersion = AlignVersion.current
        if terminal.isInteractive { options.runProgress = { terminal.progress($0) } }
        let interpreter = Interpreter(options: options)
        let outcome = interpreter.run(parsed.program)
        terminal.flush()
        if !outcome.assertionFailures.isEmpty { terminal.report(outcome.assertionFailures) }
        if !outcome.diagnostics.isEmpty {
            terminal.report(outcome.diagnostics)
            let isInternal = outcome.diagnostics.contains { $0.message.hasPrefix("internal") }
            throw ExitCode(isInternal ? Sysexits.software : Sysexits.dataError)
        }
        if !outcome.assertionFailures.isEmpty {
            let n = outcome.assertionFailures.count
            terminal.error("\(n) assertion\(n == 1 ? "" : "s") failed")
            throw ExitCode(Sysexits.assertionFailed)
        }
    }
}
