/// What one cell produced, in the order it happened. Text is plain (no colour) so that it can
/// be exported as is; the terminal colours diagnostics itself when it prints them live.
public enum CellOutput: Sendable, Equatable {
    /// Program output: `print`, `show`, streamed generations.
    case stdout(String)
    /// Warnings that did not stop the cell, such as failed `assert`s.
    case stderr(String)
    /// The display of the cell's final bare expression (`Out[n]:`).
    case result(String)
    /// The error that stopped the cell: a one-line message and the rendered diagnostic.
    case error(message: String, rendered: String)
}

/// One executed cell of a session or notebook.
public struct Cell: Sendable, Equatable {
    /// The execution count shown as `In [n]:`.
    public let number: Int
    public let source: String
    public internal(set) var outputs: [CellOutput]
    /// No syntax, name or runtime error stopped the cell (failed `assert`s do not count).
    public internal(set) var succeeded: Bool

    public init(number: Int, source: String, outputs: [CellOutput] = [], succeeded: Bool = true) {
        self.number = number
        self.source = source
        self.outputs = outputs
        self.succeeded = succeeded
    }

    /// Adds program output, merging with the previous chunk so a cell's stream stays one block.
    mutating func appendStdout(_ text: String) {
        guard !text.isEmpty else { return }
        if case .stdout(let earlier)? = outputs.last {
            outputs[outputs.count - 1] = .stdout(earlier + text)
        } else {
            outputs.append(.stdout(text))
        }
    }
}
