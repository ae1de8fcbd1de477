/// Splits a Jinja template into literal text and the tokens inside `{{ }}` / `{% %}` tags, applying
/// whitespace control as transformers configures Jinja for chat templates.
///
/// Matches: jinja2 `lexer.py` with `trim_blocks=True, lstrip_blocks=True` (transformers
/// `_compile_jinja_template`): `{%-`/`-%}` strip all whitespace on that side, a block or comment
/// tag alone on its line takes its indentation and the newline after it, `{%+` keeps them.
struct TemplateLexer {
    enum Kind: Equatable {
        case text(String)
        case variableBegin, variableEnd, blockBegin, blockEnd
        case name(String)
        case string(String)
        case integer(Int)
        case number(Double)
        /// Operators and punctuation: `+ - * / // % ** ~ == != < > <= >= = ( ) [ ] { } . , : |`.
        case symbol(String)
    }

    struct Token {
        var kind: Kind
        /// Scalar offset in the source, for error positions.
        var offset: Int
    }

    let source: [Unicode.Scalar]
    private(set) var tokens: [Token] = []

    init(_ text: String) throws(TemplateError) {
        source = Array(text.unicodeScalars)
        try lex()
    }

    private func at(_ i: Int, _ s: String) -> Bool {
        var k = i
        for c in s.unicodeScalars {
            guard k < source.count, source[k] == c else { return false }
            k += 1
        }
        return true
    }

    private mutating func lex() throws(TemplateError) {
        var i = 0
        var text = String.UnicodeScalarView()
        var textStart = 0
        var stripNextLeading = false
        var trimNextNewline = false
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }

        while i < source.count {
            let isComment = at(i, "{#")
            let opener: Kind? = at(i, "{{") ? .variableBegin : at(i, "{%") ? .blockBegin : nil
            if opener == nil, !isComment {
                if stripNextLeading, text.isEmpty, isSpace(source[i]) { i += 1; continue }
                if trimNextNewline, text.isEmpty, source[i] == "\n" { trimNextNewline = false; i += 1; continue }
                stripNextLeading = false
                trimNextNewline = false
                if text.isEmpty { textStart = i }
                text.append(source[i])
                i += 1
                continue
            }
            stripNextLeading = false
            trimNextNewline = false
            let marker: Unicode.Scalar? = i + 2 < source.count ? source[i + 2] : nil
            if marker == "-" {
                while let last = text.last, isSpace(last) { text.removeLast() }
            } else if marker != "+", opener != .variableBegin {
                // lstrip_blocks: a tag preceded on its source line only by spaces/tabs takes them.
                var k = i - 1
                while k >= 0, source[k] == " " || source[k] == "\t" { k -= 1 }
                if k < 0 || source[k] == "\n" {
                    for _ in 0..<(i - 1 - k) where text.last == " " || text.last == "\t" { text.removeLast() }
                }
            }
            if !text.isEmpty { tokens.append(Token(kind: .text(String(text)), offset: textStart)) }
            text = String.UnicodeScalarView()
            let tagStart = i
            i += 2
            if marker == "-" || marker == "+" { i += 1 }
            guard let opener else {
                // A comment: skip to `#}`.
                while i < source.count, !at(i, "#}") { i += 1 }
                guard i < source.count else { throw TemplateError("unclosed comment", at: tagStart) }
                stripNextLeading = source[i - 1] == "-"
                trimNextNewline = !stripNextLeading
                i += 2
                continue
            }
            tokens.append(Token(kind: opener, offset: tagStart))
            let closer = opener == .variableBegin ? "}}" : "%}"
            while true {
                while i < source.count, isSpace(source[i]) { i += 1 }
                guard i < source.count else { throw TemplateError("unclosed tag", at: tagStart) }
                if at(i, "-" + closer) || at(i, closer) {
                    tokens.append(Token(kind: opener == .variableBegin ? .variableEnd : .blockEnd, offset: i))
                    stripNextLeading = source[i] == "-"
                    i += stripNextLeading ? 3 : 2
                    trimNextNewline = !stripNextLeading && opener == .blockBegin
                    break
                }
                try lexExpressionToken(&i)
            }
        }
        if !text.isEmpty { tokens.append(Token(kind: .text(String(text)), offset: textStart)) }
    }

    private mutating func lexExpressionToken(_ i: inout Int) throws(TemplateError) {
        let start = i
        let c = source[i]
        if c == "_" || c.properties.isAlphabetic {
            var name = String.UnicodeScalarView()
            while i < source.count, source[i] == "_" || source[i].properties.isAlphabetic || ("0"..."9").contains(source[i]) {
                name.append(source[i])
                i += 1
            }
            tokens.append(Token(kind: .name(String(name)), offset: start))
        } else if ("0"..."9").contains(c) {
            var digits = ""
            var isFloat = false
            while i < source.count, ("0"..."9").contains(source[i]) || source[i] == "_"
                    || (source[i] == "." && !isFloat && i + 1 < source.count && ("0"..."9").contains(source[i + 1])) {
                if source[i] == "." { isFloat = true }
                if source[i] != "_" { digits.unicodeScalars.append(source[i]) }
                i += 1
            }
            if isFloat {
                guard let d = Double(digits) else { throw TemplateError("bad number `\(digits)`", at: start) }
                tokens.append(Token(kind: .number(d), offset: start))
            } else {
                guard let n = Int(digits) else { throw TemplateError("number `\(digits)` is too large", at: start) }
                tokens.append(Token(kind: .integer(n), offset: start))
            }
        } else if c == "'" || c == "\"" {
            tokens.append(Token(kind: .string(try lexString(&i, quote: c)), offset: start))
        } else {
            for op in ["//", "**", "==", "!=", "<=", ">="] where at(i, op) {
                tokens.append(Token(kind: .symbol(op), offset: start))
                i += 2
                return
            }
            guard "+-*/%~<>=()[]{}.,:|".unicodeScalars.contains(c) else {
                throw TemplateError("unexpected character `\(c)`", at: start)
            }
            tokens.append(Token(kind: .symbol(String(c)), offset: start))
            i += 1
        }
    }

    /// A quoted string with Python's common escapes.
    private func lexString(_ i: inout Int, quote: Unicode.Scalar) throws(TemplateError) -> String {
        let start = i
        i += 1
        var out = String.UnicodeScalarView()
        while i < source.count, source[i] != quote {
            if source[i] == "\\", i + 1 < source.count {
                i += 1
                switch source[i] {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "\\", "'", "\"": out.append(source[i])
                default:
                    out.append("\\")
                    out.append(source[i])
                }
            } else {
                out.append(source[i])
            }
            i += 1
        }
        guard i < source.count else { throw TemplateError("unclosed string", at: start) }
        i += 1
        return String(out)
    }
}

/// A template problem at a source position (scalar offset; turned into line:column for messages).
struct TemplateError: Error {
    var message: String
    var offset: Int

    init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }
}
