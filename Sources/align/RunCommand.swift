import ArgumentParser
import AlignNotebook
import AlignRuntime
import AlignSyntax
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `align run FILE [name=value …]` and `align run --replay RUNDIR`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a script.",
        discussion: """
        Overrides set a script's `param`s: `align run study.align n=200 model_id=smollm2`. A `run` block \
        whose folder was made by a different script, params or models stops with what changed; \
        `--resume` continues anyway, `--fresh` starts over (the old folder is renamed NAME.old-TIME). \
        Model calls go through the result cache (${XDG_CACHE_HOME:-~/.cache}/align/cache.sqlite) \
        unless `--no-cache`.
        """)

    @ArgumentParser.Argument(help: "The .align script, or a .ipynb notebook whose code cells run in order.")
    var file: String?

    @ArgumentParser.Argument(help: "`name=value` overrides for the script's params (ints, floats and true/false are parsed; anything else is a string).")
    var overrides: [String] = []

    @Option(help: "Folder for run outputs (default: `runs/` beside the script).")
    var runs: String?

    @Flag(help: "Continue existing run folders even if the script, params or models changed.")
    var resume = false

    @Flag(help: "Start run folders over; existing ones are renamed NAME.old-TIME.")
    var fresh = false

    @Flag(name: .customLong("no-cache"), help: "Compute every model call; do not read or write the result cache.")
    var noCache = false

    @Flag(help: "No progress line (the one-line summary of each run is still printed).")
    var quiet = false

    @Option(help: ArgumentHelp("Re-execute the run in RUNDIR from its manifest (script text and params) into a temporary folder and check its rows.jsonl is byte-identical.", valueName: "RUNDIR"))
    var replay: String?

    @Option(name: .customLong("step-budget"), help: ArgumentHelp("Stop after this many loop iterations and calls.", visibility: .hidden))
    var stepBudget: Int?

    @Option(help: "For a .ipynb notebook: where to write the executed notebook (default: in place).")
    var output: String?

    mutating func validate() throws {
        if resume && fresh { throw ValidationError("--resume and --fresh cannot be used together") }
        if replay == nil && file == nil { throw ValidationError("give a script to run, or --replay RUNDIR") }
        if replay != nil && (file != nil || !overrides.isEmpty) {
            throw ValidationError("--replay takes its script and params from the run's manifest; give no script or overrides")
        }
    }

    mutating func run() throws {
        let terminal = Terminal()
        configureRuns()
        if let replay {
            try replayRun(replay, terminal: terminal)
            return
        }
        guard let file else { return }
        if file.hasSuffix(".ipynb") {
            let status = NotebookRunner.runCommand(file, output: output)
            if status != 0 { throw ExitCode(status) }
            return
        }
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
        try execute(source, overrides: parsedOverrides, runsDirectory: runs, terminal: terminal)
    }

    /// Resume policy, summary lines, build commit and the result cache for this process's runs.
    private func configureRuns() {
        var settings = RunSettings()
        settings.resume = resume ? .always : (fresh ? .fresh : .ifUnchanged)
        settings.commit = BuildCommit.read()
        settings.summary = { line in
            fputs(line + "\n", stderr)
        }
        RunSettings.current = settings
        ModelCallLog.shared.engineVersion = AlignVersion.current + (settings.commit.map { " " + $0.sha } ?? "")
        if !noCache && replay == nil { ModelCallLog.shared.useCache(at: ResultCache.defaultPath) }
    }

    private func execute(_ source: SourceFile, overrides: [String: Value], runsDirectory: String?, terminal: Terminal) throws {
        let parsed = Parser.parse(source)
        guard parsed.diagnostics.isEmpty else {
            terminal.report(parsed.diagnostics)
            throw ExitCode(Sysexits.dataError)
        }
        var options = Interpreter.Options()
        options.scriptDirectory = SourceFiles.directory(of: source.path)
        options.paramOverrides = overrides
        options.stepBudget = stepBudget
        options.output = { terminal.write($0) }
        options.runsDirectory = runsDirectory
        options.toolVersion = AlignVersion.current
        if terminal.isInteractive && !quiet { options.runProgress = { terminal.progress($0) } }
        let interpreter = Interpreter(options: options)
        let outcome = interpreter.run(parsed.program)
        terminal.flush()
        if let problem = ModelCallLog.shared.cacheError { warn("result cache: \(problem) (those calls were computed)") }
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

    /// Re-executes a run without the cache into a temporary folder and compares the rows byte for byte.
    private func replayRun(_ folder: String, terminal: Terminal) throws {
        let plan: RunReplay, temporary: String
        do {
            plan = try RunReplay(folder: folder)
            temporary = try RunReplay.temporaryFolder()
        } catch {
            terminal.error(error.description)
            throw ExitCode(Sysexits.usage)
        }
        for path in plan.changedModules {
            warn("module `\(path)` changed since the run; the replay imports it as it is now")
        }
        try execute(plan.script, overrides: plan.params, runsDirectory: temporary, terminal: terminal)
        let difference: (line: Int, original: String?, replayed: String?)?
        do {
            difference = try plan.firstDifference(replayedRuns: temporary)
        } catch {
            terminal.error(error.description)
            throw ExitCode(Sysexits.dataError)
        }
        guard let difference else {
            fputs("replay of run \(plan.runName): rows.jsonl identical (\(plan.originalRowCount) rows)\n", stderr)
            RunReplay.removeFolder(temporary)
            return
        }
        terminal.error("""
            replay of run \(plan.runName) differs at line \(difference.line) of rows.jsonl
              original: \(difference.original ?? "(no line)")
              replayed: \(difference.replayed ?? "(no line)")
              replayed run kept in \(temporary)
            """)
        throw ExitCode(Sysexits.assertionFailed)
    }

    private func warn(_ message: String) {
        fflush(stdout)
        fputs("warning: \(message)\n", stderr)
    }
}
