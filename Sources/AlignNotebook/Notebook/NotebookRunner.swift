import AlignRuntime
import AlignSyntax

/// Executes a notebook's code cells in order in one fresh session and puts the new outputs
/// and execution counts in place of the old ones, as `jupyter nbconvert --execute` does. Like
/// nbconvert it stops at the first cell that fails; that cell keeps its error output and the
/// cells after it are left unexecuted.
public struct NotebookRunner {
    public var displayWidth = 100
    public var moduleSearch: ModuleSearch = .fromEnvironment()
    /// Receives program output as cells print it.
    public var echo: (String) -> Void = { _ in }

    public init() {}

    public struct Result {
        public var notebook: Notebook
        /// The error that stopped the run, already rendered by the caller's renderer.
        public var failure: [Diagnostic]
        public var failedCell: Int?
    }

    /// Runs `notebook`, which was read from (or will be written next to) `path`: relative
    /// paths in its cells resolve against that file's folder.
    public func run(_ notebook: Notebook, path: String) -> Result {
        var options = Session.Options()
        options.displayWidth = displayWidth
        options.scriptDirectory = SourceFiles.directory(of: path)
        options.moduleSearch = moduleSearch
        options.echo = echo
        options.cellName = { "\(path)#In[\($0)]" }
        let session = Session(options: options)
        var result = Result(notebook: notebook, failure: [], failedCell: nil)
        for k in result.notebook.cells.indices where result.notebook.cells[k].kind == .code {
            if result.failedCell != nil {
                result.notebook.cells[k].executionCount = nil
                result.notebook.cells[k].outputs = []
                continue
            }
            let execution = session.execute(result.notebook.cells[k].source)
            result.notebook.cells[k].executionCount = execution.cell.number
            result.notebook.cells[k].outputs = execution.cell.outputs
            if !execution.diagnostics.isEmpty {
                result.failure = execution.diagnostics
                result.failedCell = k
            }
        }
        return result
    }
}
