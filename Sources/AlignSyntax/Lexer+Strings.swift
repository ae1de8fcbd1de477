/// Text being collected for one open string literal.
struct StringLiteralState {
    enum LineStartKind { case contentStart, newline, escapedNewline }

    /// Where a source line begins inside the collected text: the place its indentation is
    /// removed once the closing `"""` reveals how much indentation there is.
    struct LineStart {
        var offset: Int
        var raw: Int
        var kind: LineStartKind
    }

    /// A finished piece of text of a `"""` string, waiting for indentation removal.
    struct Segment {
        var tokenIndex: Int
        var text: [UInt8]
        var lineStarts: [LineStart]
    }

    let delimiter: StringDelimiter
    /// Index of the `stringStart` token, so an abandoned string can be replaced by one token.
    let tokenIndex: Int
    let openStart: Int
    let openEnd: Int
    var text: [UInt8] = []
    var textStart: Int
    var lineStarts: [LineStart] = []
    var segments: [Segment] = []
}

/// String literals. Matches Swift's rules for `"""` strings: content starts on the line after
/// the opening delimiter, the closing delimiter sits on its own line and its indentation is
/// removed from every line, and a line ending in `\` joins the next.
extension Lexer {
    mutating func openString(start: Int, isRaw: Bool) {
        pos = start + (isRaw ? 1 : 0)
        let isMultiline = byte(at: pos + 1) == UInt8(ascii: "\"") && byte(at: pos + 2) == UInt8(ascii: "\"")
        pos += isMultiline ? 3 : 1
        let delimiter = StringDelimiter(isRaw: isRaw, isMultiline: isMultiline)
        emit(.stringStart(delimiter), start, pos)
        var state = StringLiteralState(delimiter: delimiter, tokenIndex: tokens.count - 1, openStart: start,
                                       openEnd: pos, textStart: pos)
        if isMultiline {
            var look = pos
            while isWhitespace(byte(at: look)) { look += 1 }
            if look >= bytes.count {
                pos = look
            } else if bytes[look] == UInt8(ascii: "\n") {
                pos = look + 1
                state.lineStarts.append(.init(offset: 0, raw: pos, kind: .contentStart))
            } else {
                report("multi-line string content must start on a new line", look, look + 1,
                       label: "text after the opening `\"\"\"`",
                       help: "put a line break after `\"\"\"`, or use `\"…\"` for a one-line string")
            }
        }
        frames.append(.string(delimiter))
        strings.append(state)
    }

    /// Collects text up to the end of the string, an interpolation, or the end of input.
    mutating func lexStringContent() {
        guard var state = strings.popLast() else { return }
        let delimiter = state.delimiter
        state.textStart = pos
        while pos < bytes.count {
            let b = bytes[pos]
            switch b {
            case UInt8(ascii: "\""):
                if !delimiter.isMultiline {
                    flushText(&state)
                    emit(.stringEnd, pos, pos + 1)
                    pos += 1
                    frames.removeLast()
                    return
                }
                if byte(at: pos + 1) == UInt8(ascii: "\""), byte(at: pos + 2) == UInt8(ascii: "\"") {
                    closeMultiline(&state)
                    return
                }
                state.text.append(b)
                pos += 1
            case UInt8(ascii: "\n"):
                guard delimiter.isMultiline else {
                    flushText(&state)
                    strings.append(state)
                    abandonUnterminatedStrings(at: pos)
                    return
                }
                state.text.append(b)
                pos += 1
                state.lineStarts.append(.init(offset: state.text.count, raw: pos, kind: .newline))
            case UInt8(ascii: "\r") where delimiter.isMultiline && byte(at: pos + 1) == UInt8(ascii: "\n"):
                pos += 1
            case UInt8(ascii: "\\") where !delimiter.isRaw:
                lexEscape(&state)
            case UInt8(ascii: "{") where !delimiter.isRaw:
                flushText(&state)
                emit(.interpolationStart, pos, pos + 1)
                pos += 1
                frames.append(.interpolation)
                strings.append(state)
                return
            default:
                state.text.append(b)
                pos += 1
            }
        }
        flushText(&state)
        strings.append(state)
    }

    /// Emits the collected text as a token. Text of `"""` strings is emitted as a placeholder
    /// and filled in when the closing delimiter is found.
    mutating func flushText(_ state: inout StringLiteralState) {
        if state.delimiter.isMultiline {
            emit(.stringText(""), state.textStart, pos)
            state.segments.append(.init(tokenIndex: tokens.count - 1, text: state.text,
                                        lineStarts: state.lineStarts))
        } else {
            emit(.stringText(String(decoding: state.text, as: UTF8.self)), state.textStart, pos)
        }
        state.text.removeAll(keepingCapacity: true)
        state.lineStarts.removeAll()
    }

    mutating func closeMultiline(_ state: inout StringLiteralState) {
        let closeStart = pos
        var lineStart = closeStart
        while lineStart > state.openEnd, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        let indentation = Array(bytes[lineStart..<closeStart])
        let onOwnLine = lineStart > state.openEnd && bytes[lineStart - 1] == UInt8(ascii: "\n")
            && indentation.allSatisfy(isWhitespace)
        if onOwnLine, let last = state.lineStarts.last, last.raw == lineStart {
            let cut = last.kind == .newline ? last.offset - 1 : last.offset
            state.text.removeSubrange(max(0, min(cut, state.text.count))...)
            state.lineStarts.removeLast()
        } else if !onOwnLine {
            report("closing `\"\"\"` must be on a line of its own", closeStart, closeStart + 3,
                   label: "text before the closing delimiter", help: "put a line break before `\"\"\"`")
        }
        flushText(&state)
        let removable = onOwnLine ? indentation.filter { $0 != UInt8(ascii: "\r") } : []
        for segment in state.segments where segment.tokenIndex < tokens.count {
            let text = removeIndentation(removable, from: segment)
            let token = tokens[segment.tokenIndex]
            tokens[segment.tokenIndex] = Token(.stringText(String(decoding: text, as: UTF8.self)),
                                               start: token.start, end: token.end)
        }
        emit(.stringEnd, closeStart, closeStart + 3)
        pos = closeStart + 3
        frames.removeLast()
    }

    /// Removes `indentation` at every line start of a segment. Lines holding only whitespace
    /// may be indented less; any other line must start with exactly the closing indentation.
    mutating func removeIndentation(_ indentation: [UInt8], from segment: StringLiteralState.Segment) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(segment.text.count)
        var cursor = 0
        for lineStart in segment.lineStarts {
            let from = min(max(lineStart.offset, cursor), segment.text.count)
            out.append(contentsOf: segment.text[cursor..<from])
            cursor = min(from + removableCount(indentation, at: lineStart.raw), segment.text.count)
        }
        out.append(contentsOf: segment.text[cursor...])
        return out
    }

    mutating func removableCount(_ indentation: [UInt8], at raw: Int) -> Int {
        if raw + indentation.count <= bytes.count, bytes[raw..<(raw + indentation.count)].elementsEqual(indentation) {
            return indentation.count
        }
        var end = raw
        while byte(at: end) == UInt8(ascii: " ") || byte(at: end) == UInt8(ascii: "\t") { end += 1 }
        let rest = byte(at: end)
        if end >= bytes.count || rest == UInt8(ascii: "\n") || rest == UInt8(ascii: "\r") { return end - raw }
        report("insufficient indentation of line in multi-line string", raw, max(end, raw + 1),
               label: "indented less than the closing `\"\"\"`",
               help: "indent every line at least as far as the closing `\"\"\"`, using the same spaces or tabs")
        return 0
    }

    static let simpleEscapes: [UInt8: UInt8] = [
        UInt8(ascii: "n"): 0x0A, UInt8(ascii: "t"): 0x09, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "0"): 0,
        UInt8(ascii: "\\"): UInt8(ascii: "\\"), UInt8(ascii: "\""): UInt8(ascii: "\""),
        UInt8(ascii: "{"): UInt8(ascii: "{"), UInt8(ascii: "}"): UInt8(ascii: "}"),
    ]

    /// `\n \t \r \0 \" \\ \{ \} \u{…}`, and in `"""` strings a `\` at the end of a line.
    mutating func lexEscape(_ state: inout StringLiteralState) {
        let start = pos
        let next = byte(at: pos + 1)
        if let value = Self.simpleEscapes[next] {
            state.text.append(value)
            pos += 2
        } else if next == UInt8(ascii: "u") {
            lexUnicodeEscape(&state)
        } else if state.delimiter.isMultiline, next == UInt8(ascii: "\n")
                    || (next == UInt8(ascii: "\r") && byte(at: pos + 2) == UInt8(ascii: "\n")) {
            pos += next == UInt8(ascii: "\n") ? 2 : 3
            state.lineStarts.append(.init(offset: state.text.count, raw: pos, kind: .escapedNewline))
        } else if pos + 1 >= bytes.count || next == UInt8(ascii: "\n") {
            pos += 1
        } else {
            var end = pos + 2
            while byte(at: end) & 0xC0 == 0x80 { end += 1 }
            let sequence = span(start, end).text
            report("unknown escape sequence `\(sequence)`", start, end, label: "not an escape",
                   help: "escapes are \\n \\t \\r \\0 \\\" \\\\ \\{ \\} \\u{…}; write `\\\\` for a backslash")
            state.text.append(contentsOf: bytes[(pos + 1)..<end])
            pos = end
        }
    }

    /// `\u{1F600}`: one to eight hex digits naming a Unicode scalar.
    mutating func lexUnicodeEscape(_ state: inout StringLiteralState) {
        let start = pos
        var end = pos + 2
        var value: UInt32 = 0
        var digits = 0
        var valid = byte(at: end) == UInt8(ascii: "{")
        if valid {
            end += 1
            while let digit = hexValue(byte(at: end)), digits < 8 {
                value = value &* 16 &+ UInt32(digit)
                digits += 1
                end += 1
            }
            valid = digits > 0 && byte(at: end) == UInt8(ascii: "}")
            if valid { end += 1 }
        }
        if valid, let scalar = Unicode.Scalar(value) {
            state.text.append(contentsOf: Array(String(Character(scalar)).utf8))
        } else {
            report("invalid unicode escape `\(span(start, end).text)`", start, end,
                   label: "expected `\\u{` hex digits `}`", help: "write a code point like `\\u{1F600}`")
        }
        pos = end
    }
}

func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
    default: return nil
    }
}
