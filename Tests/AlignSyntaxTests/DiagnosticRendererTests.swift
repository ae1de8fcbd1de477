import Testing
import AlignSyntax

@Suite struct DiagnosticRendererTests {
    let file = SourceFile(path: "study.align", text: """
        let total = 10
        let count = 0
        # compute
        let x = total / count
        print(x)
        """)

    func span(_ text: String) -> SourceSpan {
        let start = byteOffset(of: text, in: file.text) ?? 0
        return SourceSpan(file: file, start: start, end: start + text.utf8.count)
    }

    @Test func rustcShape() {
        let diagnostic = Diagnostic(.error, "division by zero", at: span("/"), label: "divisor is zero",
                                    help: "check `count` first", notes: ["called from `main`"])
        #expect(DiagnosticRenderer.plain.render(diagnostic) == """
            error: division by zero
             --> study.align:4:15
              |
            4 | let x = total / count
              |               ^ divisor is zero
              = help: check `count` first
              = note: called from `main`
            """)
    }

    @Test func caretsCoverTheSpanAndTheGutterFitsTheLineNumber() {
        let text = String(repeating: "\n", count: 11) + "print(rows.qeury)"
        let longFile = SourceFile(path: "s.align", text: text)
        let start = text.utf8.count - "qeury)".utf8.count
        let diagnostic = Diagnostic.error("no column `qeury` in table",
                                          at: SourceSpan(file: longFile, start: start, end: start + 5),
                                          label: "not a column", help: "did you mean `query`?")
        #expect(DiagnosticRenderer.plain.render(diagnostic) == """
            error: no column `qeury` in table
              --> s.align:12:12
               |
            12 | print(rows.qeury)
               |            ^^^^^ not a column
               = help: did you mean `query`?
            """)
    }

    @Test func emptySpanGetsOneCaretAndMultiLineSpansShowTheirFirstLine() {
        let empty = Diagnostic.error("missing value", at: SourceSpan(file: file, start: 4, end: 4))
        #expect(DiagnosticRenderer.plain.render(empty) == """
            error: missing value
             --> study.align:1:5
              |
            1 | let total = 10
              |     ^
            """)
        let start = span("count = 0").start
        let multi = Diagnostic.error("bad", at: SourceSpan(file: file, start: start, end: start + 40), label: "here")
        #expect(DiagnosticRenderer.plain.render(multi) == """
            error: bad
             --> study.align:2:5
              |
            2 | let count = 0
              |     ^^^^^^^^^ here
            """)
    }

    @Test func columnsCountScalarsAndTabsStayAligned() {
        let source = "\tlet é = \"ü\" + 1"
        let tabbed = SourceFile(path: "t.align", text: source)
        let offset = byteOffset(of: "+", in: source) ?? 0
        let diagnostic = Diagnostic.error("cannot add", at: SourceSpan(file: tabbed, start: offset, end: offset + 1))
        #expect(DiagnosticRenderer.plain.render(diagnostic) == """
            error: cannot add
             --> t.align:1:14
              |
            1 | \tlet é = "ü" + 1
              | \t            ^
            """)
    }

    @Test func missingSpanPrintsTheHeader() {
        let diagnostic = Diagnostic(.warning, "model cache is empty", at: nil, help: "run `scripts/bootstrap`")
        #expect(DiagnosticRenderer.plain.render(diagnostic) == """
            warning: model cache is empty
              = help: run `scripts/bootstrap`
            """)
    }

    @Test func spanAtEndOfFileAfterTrailingNewline() {
        let trailing = SourceFile(path: "e.align", text: "x = (\n")
        let diagnostic = Diagnostic.error("end", at: SourceSpan(file: trailing, start: 6, end: 6))
        #expect(DiagnosticRenderer.plain.render(diagnostic) == """
            error: end
             --> e.align:2:1
              |
            2 |
              | ^
            """)
    }

    @Test func colourIsADecoratorOverTheSameLayout() {
        let diagnostic = Diagnostic.error("division by zero", at: span("/"), label: "divisor is zero")
        let colored = DiagnosticRenderer.colored.render(diagnostic)
        #expect(colored.contains("\u{1B}[1;31merror\u{1B}[0m"))
        #expect(colored.contains("\u{1B}[1;34m|\u{1B}[0m"))
        let stripped = colored.replacing(/\u{1B}\[[0-9;]*m/, with: "")
        #expect(stripped == DiagnosticRenderer.plain.render(diagnostic))
    }

    @Test func shouldUseColorFollowsTTYNoColorAndTerm() {
        #expect(DiagnosticRenderer.shouldUseColor(isTTY: true, environment: ["TERM": "xterm-256color"]))
        #expect(DiagnosticRenderer.shouldUseColor(isTTY: true, environment: [:]))
        #expect(!DiagnosticRenderer.shouldUseColor(isTTY: false, environment: ["TERM": "xterm"]))
        #expect(!DiagnosticRenderer.shouldUseColor(isTTY: true, environment: ["NO_COLOR": "1"]))
        #expect(!DiagnosticRenderer.shouldUseColor(isTTY: true, environment: ["TERM": "dumb"]))
    }
}
