/// Where statements end: newlines, `;`, brackets, and the continuation rules of LANGUAGE.md
/// ("a line ending in an operator, `,`, `(`, `[` or `{` continues") plus lines that *start*
/// with a binary operator such as `|>`, so pipelines can be written one stage per line.
extension Lexer {
    /// Newlines end statements at top level and inside blocks or records, not inside `(`, `[`
    /// or an interpolation.
    var newlineIsSignificant: Bool {
        guard let top = frames.last else { return true }
        return top == .brace
    }

    mutating func skipTrivia() {
        while pos < bytes.count {
            let b = bytes[pos]
            if isWhitespace(b) {
                pos += 1
            } else if b == UInt8(ascii: "#") {
                let start = pos
                while pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
                comments.append(start..<pos)
            } else if b == UInt8(ascii: "\n") {
                if strings.contains(where: { !$0.delimiter.isMultiline }) {
                    abandonUnterminatedStrings(at: pos)
                }
                if newlineIsSignificant, pendingNewline == nil { pendingNewline = pos..<(pos + 1) }
                pos += 1
                atLineStart = true
            } else {
                return
            }
        }
    }

    /// Appends a token, first deciding whether a pending newline ends the previous statement.
    mutating func emit(_ kind: TokenKind, _ start: Int, _ end: Int) {
        if let newline = pendingNewline {
            pendingNewline = nil
            if let last = tokens.last, last.kind != .newline, !last.kind.continuesLineAtEnd,
               !kind.continuesPreviousLine {
                tokens.append(Token(.newline, start: newline.lowerBound, end: newline.upperBound))
            }
        }
        tokens.append(Token(kind, start: start, end: end))
        atLineStart = false
    }

    mutating func emitSemicolon(_ start: Int) {
        pendingNewline = nil
        tokens.append(Token(.newline, start: start, end: pos))
        atLineStart = false
    }

    /// Pops frames up to the innermost one matching a closing bracket; `}` also closes an
    /// interpolation. Never crosses into an enclosing string. Returns the frame closed, or nil
    /// for a stray closer (the parser reports it).
    @discardableResult
    mutating func closeFrame(_ wanted: Frame) -> Frame? {
        var i = frames.count - 1
        while i >= 0 {
            let frame = frames[i]
            if frame == wanted || (wanted == .brace && frame == .interpolation) {
                frames.removeSubrange(i...)
                return frame
            }
            if case .string = frame { return nil }
            if frame == .interpolation { return nil }
            i -= 1
        }
        return nil
    }

    /// A statement keyword starts this line while `(`/`[` are open: treat them as unclosed so
    /// the parser reports the missing closer here instead of swallowing the rest of the file.
    /// `from: 1` (a keyword used as a label) is left alone.
    mutating func closeBracketsLeftOpen(keywordStart: Int) {
        guard let top = frames.last, top == .paren || top == .bracket else { return }
        var look = pos
        while isWhitespace(byte(at: look)) { look += 1 }
        if byte(at: look) == UInt8(ascii: ":") { return }
        while let frame = frames.last, frame == .paren || frame == .bracket { frames.removeLast() }
        pendingNewline = nil
        if let last = tokens.last, last.kind != .newline {
            tokens.append(Token(.newline, start: keywordStart, end: keywordStart))
        }
    }

    /// A single-line string reached the end of its line. Reports it once and replaces the
    /// string (with everything lexed inside it) by one `.invalid` token, so the parser skips the
    /// statement quietly. Closes every frame opened since, and any `(`/`[` around it, so lexing
    /// resumes at statement level, or in the text of the `"""` string whose interpolation held it.
    mutating func abandonUnterminatedStrings(at end: Int) {
        guard let outer = strings.firstIndex(where: { !$0.delimiter.isMultiline }) else { return }
        report("unterminated string", strings[outer].openStart, end, label: "missing closing `\"`")
        replaceWithInvalid(stringAt: outer, end: end)
        if frames.last == .interpolation {
            frames.removeLast()
            return
        }
        while let frame = frames.last, frame == .paren || frame == .bracket { frames.removeLast() }
    }

    mutating func replaceWithInvalid(stringAt outer: Int, end: Int) {
        let state = strings[outer]
        tokens.removeSubrange(min(state.tokenIndex, tokens.count)...)
        tokens.append(Token(.invalid, start: state.openStart, end: end))
        while strings.count > outer, let frame = frames.popLast() {
            if case .string = frame { strings.removeLast() }
        }
    }

    /// Reports a string still open at the end of input and notes whether more input could
    /// complete what is open.
    mutating func finishAtEnd() {
        let singleLineOpen = strings.contains { !$0.delimiter.isMultiline }
        var open = !frames.isEmpty
        if let last = tokens.last, last.kind.continuesLineAtEnd { open = true }
        if let outer = strings.first {
            if outer.delimiter.isMultiline {
                report("unterminated multi-line string", outer.openStart, outer.openEnd,
                       label: "this `\"\"\"` is never closed",
                       help: "end the string with `\"\"\"` on a line of its own")
            } else {
                report("unterminated string", outer.openStart, bytes.count, label: "missing closing `\"`")
            }
            unterminatedStringAtEnd = true
            replaceWithInvalid(stringAt: 0, end: bytes.count)
        }
        endsOpen = open && !singleLineOpen
        tokens.append(Token(.endOfFile, start: bytes.count, end: bytes.count))
    }
}

extension TokenKind {
    /// A line ending in this token continues on the next line.
    var continuesLineAtEnd: Bool {
        switch self {
        case .symbol(let symbol):
            return symbol != .rightParen && symbol != .rightBracket && symbol != .rightBrace
        case .keyword(let keyword):
            return keyword == .and || keyword == .or || keyword == .not || keyword == .in
                || keyword == .else
        default:
            return false
        }
    }

    /// A line starting with this token continues the previous line (no statement can start
    /// with it, so nothing is lost): `|> f`, `and x`, `+ y`, `else { … }`, `.member`.
    var continuesPreviousLine: Bool {
        switch self {
        case .symbol(let symbol):
            switch symbol {
            case .pipe, .plus, .star, .starStar, .slash, .slashSlash, .percent, .equalEqual, .bangEqual,
                 .less, .lessEqual, .greater, .greaterEqual, .arrow, .dot, .comma, .rightParen,
                 .rightBracket:
                return true
            default:
                return false
            }
        case .keyword(let keyword):
            return keyword == .and || keyword == .or || keyword == .else
        default:
            return false
        }
    }
}
