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

/// Thrown inside the parser once an error is recorded; caught where the parser can resume.
struct ParseFailure: Error {}

/// Recursive-descent parser over the lexer's tokens. On an error it records a diagnostic and
/// skips to the next statement (Wren's and clox's `synchronize`), so one parse reports every
/// syntax error in a file; errors that are consequences of an earlier one stay unreported.
public struct Parser {
    /// Deeper nesting than this is reported instead of risking the call stack.
    public static let maxNestingDepth = 256

    let file: SourceFile
    let tokens: [Token]
    /// For each `(` token, the index of its `)` (or -1): lambda parameters are recognised by
    /// the `=>` after the matching parenthesis without backtracking.
    let matchingParen: [Int]
    /// The lexer reported a string open at the end of input; further end-of-input errors are noise.
    let quietAtEnd: Bool
    var index = 0
    var diagnostics: [Diagnostic] = []
    var reportedAtEnd = false
    var diagnosticsAtEnd = 0
    var lastErrorIndex = -1
    var depth = 0
    /// In `if`/`while`/`for`/`run` headers a `{` opens the body, never a record.
    var recordsAllowed = true

    init(_ lexed: LexedSource) {
        file = lexed.file
        tokens = lexed.tokens
        quietAtEnd = lexed.unterminatedStringAtEnd
        var matching = [Int](repeating: -1, count: lexed.tokens.count)
        var open: [Int] = []
        for (i, token) in lexed.tokens.enumerated() {
            if token.kind == .symbol(.leftParen) {
                open.append(i)
            } else if token.kind == .symbol(.rightParen), let start = open.popLast() {
                matching[start] = i
            }
        }
        matchingParen = matching
    }

    public static func parse(_ file: SourceFile) -> ParseResult {
        let lexed = Lexer.tokenize(file)
        var parser = Parser(lexed)
        let statements = parser.parseStatements(inBlock: false)
        var all = lexed.diagnostics + parser.diagnostics
        all = all.enumerated().sorted {
            let a = $0.element.span?.start ?? 0, b = $1.element.span?.start ?? 0
            return a != b ? a < b : $0.offset < $1.offset
        }.map(\.element)
        let lexerAtEnd = lexed.unterminatedStringAtEnd ? 1 : 0
        let notAtEnd = (lexed.diagnostics.count - lexerAtEnd) + (parser.diagnostics.count - parser.diagnosticsAtEnd)
        let incomplete = lexed.endsOpen && !all.isEmpty && notAtEnd == 0
        return ParseResult(program: Program(file: file, statements: statements), diagnostics: all,
                           isIncomplete: incomplete)
    }

    // MARK: - Tokens

    var current: Token { tokens[index] }
    var kind: TokenKind { tokens[index].kind }

    func peekKind(_ offset: Int) -> TokenKind {
        tokens[min(index + offset, tokens.count - 1)].kind
    }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func check(_ symbol: Symbol) -> Bool { kind == .symbol(symbol) }
    func check(_ keyword: Keyword) -> Bool { kind == .keyword(keyword) }

    mutating func accept(_ symbol: Symbol) -> Bool {
        guard check(symbol) else { return false }
        advance()
        return true
    }

    mutating func accept(_ keyword: Keyword) -> Bool {
        guard check(keyword) else { return false }
        advance()
        return true
    }

    /// End of the last consumed token.
    var previousEnd: Int { index > 0 ? tokens[index - 1].end : 0 }

    func span(from start: Int) -> SourceSpan {
        SourceSpan(file: file, start: start, end: max(start, previousEnd))
    }

    func span(of token: Token) -> SourceSpan { token.span(in: file) }

    mutating func skipNewlines() {
        while kind == .newline { advance() }
    }

    var atStatementEnd: Bool {
        kind == .newline || kind == .endOfFile || check(.rightBrace)
    }

    // MARK: - Errors

    /// Records an error at the current token (or `span`) and returns the failure to throw.
    /// Stays silent at a token the lexer already reported, at a second error on the same
    /// token, and for repeated errors at the end of input.
    @inline(never)
    mutating func fail(_ message: String, label: String? = nil, help: String? = nil, notes: [String] = [],
                       at explicitSpan: SourceSpan? = nil) -> ParseFailure {
        if kind == .invalid, explicitSpan == nil { return ParseFailure() }
        if index == lastErrorIndex { return ParseFailure() }
        let atEnd = kind == .endOfFile && explicitSpan == nil
        if atEnd {
            if quietAtEnd || reportedAtEnd { return ParseFailure() }
            reportedAtEnd = true
            diagnosticsAtEnd += 1
        }
        lastErrorIndex = index
        diagnostics.append(Diagnostic(.error, message, at: explicitSpan ?? errorSpan, label: label ?? foundLabel,
                                      help: help, notes: notes))
        return ParseFailure()
    }

    /// Errors at a line or input end point just past the last token, where something is missing.
    var errorSpan: SourceSpan {
        if kind == .newline || kind == .endOfFile {
            return SourceSpan(file: file, start: previousEnd, end: previousEnd)
        }
        return span(of: current)
    }

    var foundLabel: String {
        switch kind {
        case .endOfFile: return "input ends here"
        case .newline where current.end > current.start && file.bytes[current.start] == UInt8(ascii: ";"):
            return "found `;`"
        case .newline: return "line ends here"
        default: return "found \(kind.displayName)"
        }
    }

    /// A note pointing at the opening bracket when the error is reported on another line.
    func openedNote(_ what: String, at opener: Token) -> [String] {
        let (line, column) = file.location(of: opener.start)
        let (nowLine, _) = file.location(of: errorSpan.start)
        return line == nowLine ? [] : ["\(what) opened at line \(line), column \(column)"]
    }

    /// Counts one level of nesting; deeper than `maxNestingDepth` is an error.
    mutating func enterNesting() throws(ParseFailure) {
        guard depth < Self.maxNestingDepth else {
            throw fail("expression nested too deeply",
                       label: "more than \(Self.maxNestingDepth) levels of nesting",
                       help: "split it into smaller parts with `let`")
        }
        depth += 1
    }

    /// Skips to the next statement boundary at the level where the statement began: a newline
    /// outside any bracket opened since, or the `}` that closes the enclosing block. A newline
    /// inside `(`/`[` only exists where the lexer closed brackets left open, so it closes them.
    mutating func synchronize(statementStart: Int) {
        guard kind != .endOfFile else { return }
        var open: [Symbol] = []
        for token in tokens[statementStart..<index] { _ = Self.track(&open, token.kind) }
        while kind != .endOfFile {
            if Self.track(&open, kind) { return }
            advance()
        }
    }

    /// Updates the open brackets for one token; true when the token ends the statement.
    static func track(_ open: inout [Symbol], _ kind: TokenKind) -> Bool {
        switch kind {
        case .newline:
            while let top = open.last, top != .leftBrace { open.removeLast() }
            return open.isEmpty
        case .symbol(let symbol) where symbol == .leftBrace || symbol == .leftParen || symbol == .leftBracket:
            open.append(symbol)
        case .symbol(.rightBrace):
            guard open.contains(.leftBrace) else { return true }
            while open.popLast() != .leftBrace {}
        case .symbol(.rightParen):
            if open.last == .leftParen { open.removeLast() }
        case .symbol(.rightBracket):
            if open.last == .leftBracket { open.removeLast() }
        default:
            break
        }
        return false
    }

    /// Where a bracketed list must stop: its closer is missing if one of these comes first.
    var atListEnd: Bool {
        switch kind {
        case .newline, .endOfFile, .interpolationEnd, .symbol(.rightParen), .symbol(.rightBracket),
             .symbol(.rightBrace):
            return true
        default:
            return false
        }
    }
}
