import AlignSyntax

/// A cell's source prepared for the interpreter. When the cell ends in a bare expression, the
/// program actually run reads `let _ = <expression>`, so the value lands in the session's `_`
/// the way the language binds any name; diagnostics are mapped back onto the text the user typed.
///
/// The interpreter has no API for binding a host value to a global, so the session binds `_`
/// and `out` with code of the language itself (see `Session+Names.swift`).
struct CellProgram {
    static let binding = "let _ = "

    let original: SourceFile
    let program: Program
    /// Where `binding` was inserted (a byte offset into `original`), if it was.
    let insertion: Int?

    /// Parses `file`; returns the parse diagnostics instead when there are any.
    static func prepare(_ file: SourceFile) -> Result<CellProgram, ParseFailureReport> {
        let parsed = Parser.parse(file)
        guard parsed.diagnostics.isEmpty else {
            return .failure(ParseFailureReport(diagnostics: parsed.diagnostics, isIncomplete: parsed.isIncomplete))
        }
        guard let last = parsed.program.statements.last, case .expression = last.kind else {
            return .success(CellProgram(original: file, program: parsed.program, insertion: nil))
        }
        let at = last.span.start
        let bytes = file.bytes
        let text = String(decoding: bytes[..<at], as: UTF8.self) + binding + String(decoding: bytes[at...], as: UTF8.self)
        let rewritten = Parser.parse(SourceFile(path: file.path, text: text))
        guard rewritten.diagnostics.isEmpty else {
            return .success(CellProgram(original: file, program: parsed.program, insertion: nil))
        }
        return .success(CellProgram(original: file, program: rewritten.program, insertion: at))
    }

    /// The cell ends in a bare expression whose value becomes `_`.
    var bindsValue: Bool { insertion != nil }

    /// `d` with its span moved from the rewritten text back onto the original.
    func mapBack(_ d: Diagnostic) -> Diagnostic {
        guard let span = d.span, span.file !== original else { return d }
        guard span.file.path == original.path, span.file.bytes.count == original.bytes.count + Self.binding.utf8.count
        else { return d }
        var mapped = d
        mapped.span = SourceSpan(file: original, start: originalOffset(span.start), end: originalOffset(span.end))
        return mapped
    }

    private func originalOffset(_ offset: Int) -> Int {
        guard let at = insertion, offset > at else { return offset }
        return max(at, offset - Self.binding.utf8.count)
    }
}

/// A cell that did not parse.
struct ParseFailureReport: Error {
    let diagnostics: [Diagnostic]
    let isIncomplete: Bool
}
