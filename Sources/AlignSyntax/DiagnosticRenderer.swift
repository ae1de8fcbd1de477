/// Renders diagnostics in rustc's shape:
/// ```
/// error: division by zero
///  --> study.align:4:15
///   |
/// 4 | let x = total / count
///   |               ^ divisor is zero
///   = help: …
/// ```
/// The gutter is as wide as the line number; carets cover the span on its first line (at least
/// one), columns are counted in Unicode scalars and tabs in the source stay tabs under it so
/// the caret lines up. Styling is left to a `DiagnosticDecorator`, so plain output (what tests
/// snapshot) and coloured output come from the same layout.
public struct DiagnosticRenderer: Sendable {
    public var decorator: any DiagnosticDecorator

    public init(decorator: any DiagnosticDecorator = PlainDecorator()) {
        self.decorator = decorator
    }

    /// Plain text, no escape codes.
    public static let plain = DiagnosticRenderer()
    /// ANSI colours for a terminal.
    public static let colored = DiagnosticRenderer(decorator: ANSIColorDecorator())

    /// Colour only for a terminal, and never when `NO_COLOR` is set to a non-empty value
    /// (no-color.org) or `TERM` is `dumb`.
    public static func shouldUseColor(isTTY: Bool, environment: [String: String]) -> Bool {
        guard isTTY else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    /// Several diagnostics, separated by blank lines.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined(separator: "\n\n")
    }

    /// One diagnostic, without a trailing newline.
    public func render(_ diagnostic: Diagnostic) -> String {
        let severity = diagnostic.severity
        var lines = [decorator.decorate(severity.rawValue, as: .severity(severity))
            + decorator.decorate(": \(diagnostic.message)", as: .message)]
        guard let span = diagnostic.span else {
            lines += footer(diagnostic, pad: " ")
            return lines.joined(separator: "\n")
        }
        let file = span.file
        let (line, column) = file.location(of: span.start)
        let number = String(line)
        let pad = String(repeating: " ", count: number.count)
        let bar = decorator.decorate("|", as: .gutter)
        lines.append(pad + decorator.decorate("-->", as: .gutter) + " \(file.path):\(line):\(column)")
        lines.append("\(pad) \(bar)")
        let text = file.lineText(line)
        lines.append(decorator.decorate("\(number) |", as: .gutter) + (text.isEmpty ? "" : " \(text)"))
        let marker = String(repeating: "^", count: caretCount(span, line: line))
            + (diagnostic.label.map { " \($0)" } ?? "")
        lines.append("\(pad) \(bar) " + indentation(text, before: column)
            + decorator.decorate(marker, as: .caret(severity)))
        lines += footer(diagnostic, pad: pad)
        return lines.joined(separator: "\n")
    }

    /// `= help: …` and `= note: …` lines under the gutter.
    func footer(_ diagnostic: Diagnostic, pad: String) -> [String] {
        let equals = decorator.decorate("=", as: .gutter)
        var lines: [String] = []
        if let help = diagnostic.help {
            lines.append("\(pad) \(equals) " + decorator.decorate("help", as: .footerTitle) + ": \(help)")
        }
        for note in diagnostic.notes {
            lines.append("\(pad) \(equals) " + decorator.decorate("note", as: .footerTitle) + ": \(note)")
        }
        return lines
    }

    /// Whitespace up to `column`, copying tabs from the source line so the caret lines up.
    func indentation(_ text: String, before column: Int) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(max(0, column - 1)) {
            out.append(scalar == "\t" ? "\t" : " ")
        }
        let missing = max(0, column - 1 - text.unicodeScalars.count)
        return out + String(repeating: " ", count: missing)
    }

    /// Scalars of the span that lie on its first line; at least one.
    func caretCount(_ span: SourceSpan, line: Int) -> Int {
        let file = span.file
        let bytes = file.bytes
        let lineEnd = line < file.lineStarts.count ? file.lineStarts[line] - 1 : bytes.count
        let start = max(0, min(span.start, bytes.count))
        var end = max(start, min(span.end, lineEnd))
        if end > start, end <= bytes.count, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        var count = 0
        for i in start..<end where bytes[i] & 0xC0 != 0x80 { count += 1 }
        return max(1, count)
    }
}
