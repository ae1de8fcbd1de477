import AlignRuntime
import AlignSyntax

/// A notebook session: one interpreter, the cells run in it so far, and the REPL names `_`
/// (the last value shown) and `out` (`out[n]` is the value of cell `n`, `null` when it showed
/// none). The REPL, `:export` and `align run FILE.ipynb` all run cells through this type, so a
/// notebook run from the command line behaves exactly like the same cells typed at the prompt.
public final class Session {
    public struct Options {
        /// Columns available for displaying values (`show` grids and `Out[n]:` displays).
        public var displayWidth = 100
        /// Folder that relative paths in cells (imports, `read`, `write`) resolve against.
        public var scriptDirectory = "."
        /// The source name of cell `n` in diagnostics.
        public var cellName: @Sendable (Int) -> String = { "In[\($0)]" }
        /// Receives program output as it happens (the terminal), besides the cell's record.
        public var echo: (String) -> Void = { _ in }
        public var moduleSearch: ModuleSearch = .fromEnvironment()
        public init() {}
    }

    /// What running one cell gave.
    public struct Execution {
        public let cell: Cell
        /// The value of a final bare expression (nil when the cell ended in a statement or failed).
        public let value: Value?
        /// Why the cell did not run to the end: every syntax error, or the name or runtime error
        /// that stopped it. The REPL shows the first (`renderFirst`).
        public let diagnostics: [Diagnostic]
        public let assertionFailures: [Diagnostic]
    }

    public private(set) var options: Options
    public private(set) var interpreter: Interpreter
    /// Every cell run so far, including failed ones, in order (`:export`).
    public private(set) var cells: [Cell] = []
    /// Index into `cells` of the first cell after the last `:reset` (`:save`).
    public private(set) var firstCellSinceReset = 0
    /// The last execution count used; the next cell is `executionCount + 1`.
    public private(set) var executionCount = 0
    /// Number of the last cell whose value was shown (what `_` holds).
    var lastShownCell: Int?
    /// Comment lines written just above a `fn` in a cell, for `:help NAME`.
    var userDocs: [String: String] = [:]
    let output: OutputCapture

    public init(options: Options = Options()) {
        self.options = options
        self.output = OutputCapture()
        self.interpreter = Session.makeInterpreter(options, output)
        output.echo = options.echo
        defineSessionNames()
    }

    private static func makeInterpreter(_ options: Options, _ output: OutputCapture) -> Interpreter {
        var o = Interpreter.Options()
        o.allowsRedefinition = true
        o.displayWidth = options.displayWidth
        o.scriptDirectory = options.scriptDirectory
        o.moduleSearch = options.moduleSearch
        o.output = { [weak output] text in output?.write(text) }
        return Interpreter(options: o)
    }

    /// The next cell's number (`In [n]:`).
    public var nextNumber: Int { executionCount + 1 }

    public var display: ValueDisplay { ValueDisplay(width: options.displayWidth) }

    /// Whether `text` needs more lines before it can run (open bracket, trailing operator,
    /// unclosed string): the REPL then shows a `...:` prompt.
    public static func isIncomplete(_ text: String) -> Bool {
        Parser.parse(SourceFile(path: "<cell>", text: text)).isIncomplete
    }

    /// Runs `source` as the next numbered cell. `path` names the source in diagnostics and
    /// decides where its relative imports resolve (`:load FILE` passes the file's path).
    @discardableResult
    public func execute(_ source: String, path: String? = nil) -> Execution {
        executionCount += 1
        let number = executionCount
        var cell = Cell(number: number, source: source)
        let file = SourceFile(path: path ?? options.cellName(number), text: source)
        output.begin()
        var value: Value?
        var diagnostics: [Diagnostic] = []
        var failures: [Diagnostic] = []
        var boundValue = false
        switch CellProgram.prepare(file) {
        case .failure(let report):
            diagnostics = report.diagnostics
        case .success(let prepared):
            let outcome = interpreter.run(prepared.program)
            diagnostics = outcome.diagnostics.map(prepared.mapBack)
            failures = outcome.assertionFailures.map(prepared.mapBack)
            if diagnostics.isEmpty && prepared.bindsValue {
                boundValue = true
                value = interpreter.globalValue("_")
            }
            recordDocs(prepared.program, succeeded: diagnostics.isEmpty)
        }
        cell.outputs = output.end()
        // A Ctrl-C that stopped this cell must not stop the next one.
        interpreter.interruption.clear()
        if !failures.isEmpty {
            cell.outputs.append(.stderr(DiagnosticRenderer.plain.render(failures) + "\n"))
        }
        if let first = diagnostics.first {
            cell.succeeded = false
            cell.outputs.append(.error(message: first.message, rendered: Session.renderFirst(diagnostics, with: .plain)))
        }
        if let value, value != .null {
            cell.outputs.append(.result(display.render(value)))
        }
        cells.append(cell)
        updateSessionNames(cell: number, value: value, boundValue: boundValue)
        return Execution(cell: cell, value: value, diagnostics: diagnostics, assertionFailures: failures)
    }

    /// The first diagnostic rendered, with a note when the cell had more.
    public static func renderFirst(_ diagnostics: [Diagnostic], with renderer: DiagnosticRenderer) -> String {
        guard let first = diagnostics.first else { return "" }
        var text = renderer.render(first)
        if diagnostics.count > 1 {
            let more = diagnostics.count - 1
            text += "\n(\(more) more error\(more == 1 ? "" : "s") in this cell)"
        }
        return text
    }

    /// Forgets every name (a fresh interpreter); cell numbers and the cell log continue.
    public func reset() {
        interpreter = Session.makeInterpreter(options, output)
        firstCellSinceReset = cells.count
        lastShownCell = nil
        userDocs = [:]
        defineSessionNames()
    }

    /// Changes the width used for `Out[n]:` displays (the terminal was resized).
    public func setDisplayWidth(_ width: Int) {
        options.displayWidth = max(20, width)
    }
}

/// Collects a cell's program output while forwarding it to the terminal as it comes.
final class OutputCapture {
    var echo: (String) -> Void = { _ in }
    private var cell = Cell(number: 0, source: "")

    func begin() { cell = Cell(number: 0, source: "") }

    func write(_ text: String) {
        cell.appendStdout(text)
        echo(text)
    }

    func end() -> [CellOutput] {
        defer { cell = Cell(number: 0, source: "") }
        return cell.outputs
    }
}
