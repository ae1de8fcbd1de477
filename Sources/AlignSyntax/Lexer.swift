/// Tokens of one source, for the parser and for the REPL's highlighting and completion.
public struct LexedSource: Sendable {
    public let file: SourceFile
    /// Always ends with one `.endOfFile` token.
    public let tokens: [Token]
    /// Byte ranges of `#` comments (kept out of `tokens` so the parser never sees them).
    public let comments: [Range<Int>]
    public let diagnostics: [Diagnostic]
    /// The input stopped inside an open bracket or `"""` string, or right after a token that
    /// continues the line (an operator, `,`, `(`): more input could complete it.
    public let endsOpen: Bool
    /// A string was still open at the end of input; the lexer has reported it, so errors the
    /// parser would find at the end are consequences, not news.
    public let unterminatedStringAtEnd: Bool
}

/// Turns source text into tokens following LANGUAGE.md "Lexical rules". It never fails: every
/// problem becomes a diagnostic plus, where a token is missing, an `.invalid` token.
///
/// String interpolation nests arbitrarily (`"a {f("b {x}")} c"`), so the lexer keeps an explicit
/// stack of open brackets and strings instead of recursing; no input can exhaust the call stack.
public struct Lexer {
    /// What is open at the current position, innermost last.
    enum Frame: Equatable {
        case paren, bracket, brace
        /// Inside `{…}` of a string; the string frame is just below.
        case interpolation
        case string(StringDelimiter)
    }

    let file: SourceFile
    let bytes: [UInt8]
    var pos = 0
    var tokens: [Token] = []
    var comments: [Range<Int>] = []
    var diagnostics: [Diagnostic] = []
    var frames: [Frame] = []
    /// Text being collected for the string literals that are open, innermost last.
    var strings: [StringLiteralState] = []
    /// A significant newline seen but not yet emitted: whether it ends a statement depends on
    /// the next token (a line starting with `|>` continues the previous one).
    var pendingNewline: Range<Int>?
    /// Only whitespace since the last newline.
    var atLineStart = true
    var unterminatedStringAtEnd = false
    var endsOpen = false

    init(file: SourceFile) {
        self.file = file
        self.bytes = file.bytes
        tokens.reserveCapacity(file.bytes.count / 4 + 16)
    }

    public static func tokenize(_ file: SourceFile) -> LexedSource {
        var lexer = Lexer(file: file)
        lexer.run()
        return LexedSource(file: file, tokens: lexer.tokens, comments: lexer.comments,
                           diagnostics: lexer.diagnostics, endsOpen: lexer.endsOpen,
                           unterminatedStringAtEnd: lexer.unterminatedStringAtEnd)
    }

    /// Lexes the whole file; a UTF-8 byte-order mark at the start is skipped.
    mutating func run() {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
        while true {
            if case .string = frames.last {
                lexStringContent()
                if pos >= bytes.count, case .string = frames.last { break }
                continue
            }
            skipTrivia()
            guard pos < bytes.count else { break }
            lexToken()
        }
        finishAtEnd()
    }

    // MARK: - Byte access

    func byte(at offset: Int) -> UInt8 {
        offset >= 0 && offset < bytes.count ? bytes[offset] : 0
    }

    var current: UInt8 { byte(at: pos) }

    func span(_ start: Int, _ end: Int) -> SourceSpan {
        SourceSpan(file: file, start: start, end: end)
    }

    mutating func report(_ message: String, _ start: Int, _ end: Int, label: String? = nil,
                         help: String? = nil) {
        diagnostics.append(.error(message, at: span(start, end), label: label, help: help))
    }

    // MARK: - Tokens

    mutating func lexToken() {
        let start = pos
        let b = current
        if isIdentifierStart(b) {
            lexIdentifierOrKeyword()
        } else if isDigit(b) {
            lexNumber()
        } else if b == UInt8(ascii: "\"") {
            openString(start: start, isRaw: false)
        } else if let symbol = scanSymbol() {
            lexSymbol(symbol, start: start)
        } else {
            lexUnknownCharacters()
        }
    }

    mutating func lexIdentifierOrKeyword() {
        let start = pos
        while isIdentifierContinue(current) { pos += 1 }
        if pos - start == 1, bytes[start] == UInt8(ascii: "r"), current == UInt8(ascii: "\"") {
            openString(start: start, isRaw: true)
            return
        }
        if let keyword = Keyword(bytes[start..<pos]) {
            if atLineStart, keyword.startsStatement { closeBracketsLeftOpen(keywordStart: start) }
            emit(.keyword(keyword), start, pos)
        } else {
            emit(.identifier(String(decoding: bytes[start..<pos], as: UTF8.self)), start, pos)
        }
    }

    /// `42`, `1_000`, `3.5`, `1e-3`. Integers must fit in 64 bits.
    mutating func lexNumber() {
        let start = pos
        var isFloat = false
        skipDigits()
        if current == UInt8(ascii: "."), isDigit(byte(at: pos + 1)) {
            isFloat = true
            pos += 1
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            var look = pos + 1
            if byte(at: look) == UInt8(ascii: "+") || byte(at: look) == UInt8(ascii: "-") { look += 1 }
            if isDigit(byte(at: look)) {
                isFloat = true
                pos = look
                skipDigits()
            }
        }
        if isIdentifierContinue(current) {
            while isIdentifierContinue(current) { pos += 1 }
            report("invalid number `\(span(start, pos).text)`", start, pos,
                   label: "a number cannot be followed by letters")
            emit(.invalid, start, pos)
            return
        }
        let digits = bytes[start..<pos].filter { $0 != UInt8(ascii: "_") }
        let text = String(decoding: digits, as: UTF8.self)
        if isFloat {
            emit(.float(Double(text) ?? .nan), start, pos)
        } else if let value = Int(text) {
            emit(.integer(value), start, pos)
        } else {
            report("integer literal `\(span(start, pos).text)` does not fit in 64 bits", start, pos,
                   label: "larger than \(Int.max)", help: "write it as a float, e.g. `\(text).0`")
            emit(.invalid, start, pos)
        }
    }

    mutating func skipDigits() {
        while isDigit(current) || current == UInt8(ascii: "_") { pos += 1 }
    }

    mutating func lexSymbol(_ symbol: Symbol, start: Int) {
        pos += symbol.rawValue.utf8.count
        switch symbol {
        case .leftParen: frames.append(.paren)
        case .leftBracket: frames.append(.bracket)
        case .leftBrace: frames.append(.brace)
        case .rightParen, .rightBracket:
            closeFrame(symbol == .rightParen ? .paren : .bracket)
        case .rightBrace:
            if closeFrame(.brace) == .interpolation {
                emit(.interpolationEnd, start, pos)
                return
            }
        default: break
        }
        emit(.symbol(symbol), start, pos)
    }

    /// The longest operator at `pos` (`//` before `/`, `**` before `*`, …), or nil.
    func scanSymbol() -> Symbol? {
        let next = byte(at: pos + 1)
        let equalFollows = next == UInt8(ascii: "=")
        switch current {
        case UInt8(ascii: "("): return .leftParen
        case UInt8(ascii: ")"): return .rightParen
        case UInt8(ascii: "["): return .leftBracket
        case UInt8(ascii: "]"): return .rightBracket
        case UInt8(ascii: "{"): return .leftBrace
        case UInt8(ascii: "}"): return .rightBrace
        case UInt8(ascii: ","): return .comma
        case UInt8(ascii: ":"): return .colon
        case UInt8(ascii: "."): return .dot
        case UInt8(ascii: "%"): return .percent
        case UInt8(ascii: "+"): return equalFollows ? .plusEqual : .plus
        case UInt8(ascii: "-"): return equalFollows ? .minusEqual : .minus
        case UInt8(ascii: "*"):
            return next == UInt8(ascii: "*") ? .starStar : equalFollows ? .starEqual : .star
        case UInt8(ascii: "/"):
            return next == UInt8(ascii: "/") ? .slashSlash : equalFollows ? .slashEqual : .slash
        case UInt8(ascii: "="):
            return equalFollows ? .equalEqual : next == UInt8(ascii: ">") ? .arrow : .equal
        case UInt8(ascii: "<"): return equalFollows ? .lessEqual : .less
        case UInt8(ascii: ">"): return equalFollows ? .greaterEqual : .greater
        case UInt8(ascii: "!"): return equalFollows ? .bangEqual : nil
        case UInt8(ascii: "|"): return next == UInt8(ascii: ">") ? .pipe : nil
        default: return nil
        }
    }

    /// Unknown characters; a run of them is one diagnostic and one `.invalid` token.
    mutating func lexUnknownCharacters() {
        let start = pos
        if current == UInt8(ascii: ";") {
            pos += 1
            emitSemicolon(start)
            return
        }
        if current == UInt8(ascii: "'") {
            lexSingleQuoted()
            return
        }
        repeat {
            pos += 1
            while byte(at: pos) & 0xC0 == 0x80 { pos += 1 }
        } while pos < bytes.count && !isStartOfKnownToken(current)
        let text = span(start, pos).text
        report("unexpected character\(text.unicodeScalars.count > 1 ? "s" : "") `\(text)`", start, pos,
               label: "not part of the language", help: Self.helpForUnknown(text))
        emit(.invalid, start, pos)
    }

    /// `'text'` is a common slip for `"text"`: one diagnostic for the whole literal.
    mutating func lexSingleQuoted() {
        let start = pos
        pos += 1
        while pos < bytes.count, bytes[pos] != UInt8(ascii: "'"), bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
        if current == UInt8(ascii: "'") { pos += 1 }
        let body = span(start + 1, pos).text.replacing("'", with: "")
        report("strings use double quotes", start, pos, label: "single quotes",
               help: "write `\"\(body)\"`")
        emit(.invalid, start, pos)
    }

    func isStartOfKnownToken(_ b: UInt8) -> Bool {
        isIdentifierStart(b) || isDigit(b) || b == UInt8(ascii: "\"") || b == UInt8(ascii: "#")
            || b == UInt8(ascii: ";") || isWhitespace(b) || b == UInt8(ascii: "\n") || scanSymbol() != nil
    }

    static func helpForUnknown(_ text: String) -> String? {
        if text.hasPrefix("&&") { return "use `and` to combine conditions" }
        if text.hasPrefix("||") { return "use `or` to combine conditions" }
        if text.hasPrefix("!") { return "use `not` to negate a condition" }
        if text.hasPrefix("|") { return "the pipeline operator is `|>`" }
        return nil
    }
}

// MARK: - Character classes

func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

func isIdentifierStart(_ b: UInt8) -> Bool {
    (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
        || b == UInt8(ascii: "_")
}

func isIdentifierContinue(_ b: UInt8) -> Bool { isIdentifierStart(b) || isDigit(b) }

func isWhitespace(_ b: UInt8) -> Bool {
    b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r")
}
