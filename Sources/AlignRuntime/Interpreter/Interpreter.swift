import AlignSyntax

/// Runs `.align` programs: scripts, modules and REPL cells. One interpreter keeps its globals,
/// loaded modules and assertion failures across `run` calls (the REPL runs each cell in the
/// same interpreter).
public final class Interpreter {
    public struct Options {
        /// Folder that relative paths (imports, `read`, `write`) resolve against.
        public var scriptDirectory: String = "."
        /// `param` overrides from the command line.
        public var paramOverrides: [String: Value] = [:]
        /// Total loop iterations plus calls allowed per run (nil: unlimited); for fuzzing.
        public var stepBudget: Int?
        public var maxCallDepth = 4000
        /// The REPL allows a cell to redefine a top-level name.
        public var allowsRedefinition = false
        public var displayWidth = 100
        /// Where `run` blocks write their folders (default: `runs/` beside the script).
        public var runsDirectory: String?
        /// Recorded in run manifests.
        public var toolVersion = "dev"
        /// Receives a run's one-line progress with rate and ETA (an empty line when the run
        /// ends); the CLI draws it on a terminal.
        public var runProgress: ((String) -> Void)?
        public var moduleSearch: ModuleSearch = .fromEnvironment()
        public var output: (String) -> Void = { print($0, terminator: "") }
        public init() {}
    }

    /// The result of one `run`.
    public struct Outcome {
        /// Value of the program's final expression statement (for the REPL).
        public var value: Value?
        /// Syntax, name or runtime errors; non-empty means the program did not finish.
        public var diagnostics: [Diagnostic]
        /// `assert` failures during this run (execution continued after each).
        public var assertionFailures: [Diagnostic]
        public var succeeded: Bool { diagnostics.isEmpty && assertionFailures.isEmpty }
    }

    public let interruption = Interruption()
    public let options: Options
    let runtime: Runtime
    let globals = GlobalScope()
    let modules: ModuleLoader
    let builtins: [String: Builtin]

    public init(options: Options = Options()) {
        self.options = options
        let machine = Machine(stackCapacity: 1 << 22, maxDepth: options.maxCallDepth,
                              stepBudget: options.stepBudget, interruption: interruption)
        self.runtime = Runtime(machine: machine, scriptDirectory: options.scriptDirectory,
                               displayWidth: options.displayWidth, output: options.output)
        self.modules = ModuleLoader(search: options.moduleSearch)
        var table: [String: Builtin] = [:]
        for b in Builtins.all { table[b.name] = b }
        for b in InterpreterBuiltins.make(runtime) { table[b.name] = b }
        self.builtins = table
        let runtime = self.runtime, builtins = self.builtins
        runtime.runsDirectory = options.runsDirectory ?? SourceFiles.join(options.scriptDirectory, "runs")
        runtime.progressSink = options.runProgress
        modules.compile = { [unowned modules] program, moduleGlobals in
            let c = Compiler(runtime: runtime, globals: moduleGlobals, builtins: builtins, modules: modules,
                             options: Compiler.Options(), file: program.file, topLevel: program.statements)
            let code = c.compileProgram(program, keepsLastValue: false)
            return (code, c.diagnostics)
        }
    }

    /// All assertion failures since the interpreter was created.
    public var assertionFailures: [Diagnostic] { runtime.assertionFailures }

    /// Names defined at the top level so far (REPL completion).
    public var globalNames: [String] { globals.names }

    /// Every built-in visible to programs, by name.
    public var builtinNames: [String] { builtins.keys.sorted() }

    public func globalValue(_ name: String) -> Value? {
        guard let s = globals[name], s.isInitialized.pointee else { return nil }
        return s.cell.pointee
    }

    /// Parses and resolves without running: syntax errors, unknown names and imports, misplaced
    /// `break`/`return`, assignments to constants, wrong arguments to known functions.
    public func check(_ program: Program, parseDiagnostics: [Diagnostic] = []) -> [Diagnostic] {
        LargeStack.run {
            let snapshot = globals.snapshot()
            defer { globals.restore(snapshot) }
            let (_, compiler) = compile(program)
            return parseDiagnostics + compiler.diagnostics + compiler.unknownOverrides()
        }
    }

    /// Parses `source` and runs it.
    public func run(_ source: SourceFile) -> Outcome {
        let parsed = Parser.parse(source)
        if !parsed.diagnostics.isEmpty {
            return Outcome(value: nil, diagnostics: parsed.diagnostics, assertionFailures: [])
        }
        return run(parsed.program)
    }

    /// Compiles and runs a parsed program on a large-stack thread.
    public func run(_ program: Program) -> Outcome {
        LargeStack.run {
            let failuresBefore = runtime.assertionFailures.count
            let snapshot = globals.snapshot()
            let (code, compiler) = compile(program)
            let problems = compiler.diagnostics + compiler.unknownOverrides()
            if !problems.isEmpty {
                globals.restore(snapshot)
                return Outcome(value: nil, diagnostics: problems, assertionFailures: [])
            }
            runtime.machine.reset()
            runtime.provenance = { [unowned self] in self.provenance(script: program.file) }
            var outcome = Outcome(value: nil, diagnostics: [], assertionFailures: [])
            do {
                outcome.value = try code.run(on: runtime.machine, runtime: runtime)
            } catch let d as Diagnostic {
                outcome.diagnostics = [d]
            } catch {
                outcome.diagnostics = [.error("internal error: \(error)", at: nil)]
            }
            runtime.machine.reset()
            outcome.assertionFailures = Array(runtime.assertionFailures[failuresBefore...])
            return outcome
        }
    }

    private func compile(_ program: Program) -> (TopLevelCode, Compiler) {
        var compilerOptions = Compiler.Options()
        compilerOptions.allowsRedefinition = options.allowsRedefinition
        compilerOptions.paramOverrides = options.paramOverrides
        let compiler = Compiler(runtime: runtime, globals: globals, builtins: builtins, modules: modules,
                                options: compilerOptions, file: program.file, topLevel: program.statements)
        if let real = SourceFiles.realPath(program.file.path) { modules.inProgress = [real] }
        defer { modules.inProgress = [] }
        return (compiler.compileProgram(program, keepsLastValue: true), compiler)
    }
}
