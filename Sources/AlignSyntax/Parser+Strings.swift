/// String literals: the lexer has already split them into text and interpolation tokens.
extension Parser {
    /// `"a {x} b"` → `.string([.text("a "), .interpolation(x), .text(" b")])`. A string without
    /// interpolation has exactly one `.text` part; with interpolation, empty texts are dropped.
    @inline(never)
    mutating func parseString() throws(ParseFailure) -> Expr {
        let open = advance()
        var parts: [StringPart] = []
        var text = ""
        var interpolated = false
        while true {
            switch kind {
            case .stringText(let piece):
                text += piece
                advance()
            case .interpolationStart:
                let brace = advance()
                if kind == .interpolationEnd {
                    throw fail("empty interpolation `{}`", label: "nothing to insert",
                               help: "write `\\{` and `\\}` for literal braces, or use a raw string `r\"…\"`",
                               at: SourceSpan(file: file, start: brace.start, end: current.end))
                }
                let value = try parseNestedExpression()
                guard kind == .interpolationEnd else {
                    throw fail("expected `}` to close the interpolation", notes: openedNote("interpolation", at: brace))
                }
                advance()
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.interpolation(value))
                interpolated = true
            case .stringEnd:
                advance()
                if !text.isEmpty || !interpolated { parts.append(.text(text)) }
                return Expr(.string(parts), span(from: open.start))
            default:
                throw fail("unterminated string")
            }
        }
    }
}
