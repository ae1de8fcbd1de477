/// Result of parsing one file or REPL cell.
public struct ParseResult: Sendable {
    public let program: Program
    /// Every syntax error in the file (the parser recovers at the next statement).
    public let diagnostics: [Diagnostic]
    /// True when the only problem is that the input ended too early (open bracket, trailing
    /// operator, unclosed string): the REPL then asks for another line.
    public let isIncomplete: Bool

    public init(program: Program, diagnostics: [Diagnostic], isIncomplete: Bool) {
        self.program = program
        self.diagnostics = diagnostics
        self.isIncomplete = isIncomplete
    }
}

/// Entry point of the recursive-descent parser.
public enum Parser {
    public static func parse(_ file: SourceFile) -> ParseResult {
        // Placeholder until the parser lands (issue 2): reports the file as unparsed.
        ParseResult(program: Program(file: file, statements: []),
                     diagnostics: [.error("parser not yet available", at: nil)], isIncomplete: false)
    }
}
