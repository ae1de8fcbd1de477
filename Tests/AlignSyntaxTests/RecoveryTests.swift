import Testing
import AlignSyntax

/// One parse reports every syntax error, each once, and keeps the statements around them.
@Suite struct RecoveryTests {
    @Test func threeSeparateErrorsAreAllReported() {
        let source = """
            let a = (1 + 2
            let b = 2
            fn f(x) {
              let y = x +
              return y
            }
            print(b c)
            let ok = f(a)
            """
        let result = parse(source)
        #expect(result.diagnostics.map(\.message) == [
            "expected `)` to close `(`",
            "expected an expression, found `return`",
            "expected `)` to close `(`",
        ])
        #expect(result.diagnostics.map { $0.span?.description ?? "-" } == [
            "test.align:1:15", "test.align:5:3", "test.align:7:9",
        ])
        let names = result.program.statements.compactMap { stmt -> String? in
            switch stmt.kind {
            case .binding(_, let name, _): return name.name
            case .function(let decl): return decl.name.name
            default: return nil
            }
        }
        #expect(names == ["b", "f", "ok"])
        #expect(!result.isIncomplete)
    }

    @Test func errorsInsideNestedBlocksRecoverInsideTheBlock() {
        let source = """
            for x in xs {
              if x > 1 {
                let = 2
                print(x)
              }
              let r = {a: 1 b: 2}
              print(r)
            }
            let after = 1
            """
        let result = parse(source)
        #expect(result.diagnostics.map(\.message) == [
            "expected a name after `let`", "expected `}` to close the record",
        ])
        #expect(tree(source.replacing("let = 2", with: "let z = 2").replacing("1 b", with: "1, b")).hasPrefix("(for x xs"))
        #expect(result.program.statements.count == 2)
    }

    @Test func lexerErrorsAreNotRepeatedByTheParser() {
        let result = parse("x = 3 @ 4\ny = \"a\\q\" + 1\nz = 'q'")
        #expect(result.diagnostics.map(\.message) == [
            "unexpected character `@`", "unknown escape sequence `\\q`", "strings use double quotes",
        ])
    }

    @Test func unclosedBlockAtEndIsReportedOnce() {
        let result = parse("fn f() {\n  if x {\n    for y in z {\n")
        #expect(result.diagnostics.map(\.message) == ["expected `}` to close the block"])
        #expect(result.isIncomplete)
    }

    @Test func diagnosticsComeInSourceOrder() {
        let result = parse("a = (\nlet b = 1 @\nlet c = [")
        let starts = result.diagnostics.compactMap { $0.span?.start }
        #expect(starts == starts.sorted())
        #expect(result.diagnostics.count == 3)
    }
}

@Suite struct IncompleteInputTests {
    @Test(arguments: [
        "f(1,",
        "let xs = [1, 2",
        "for row in rows {",
        "for row in rows {\n  print(row)",
        "let x = 1 +",
        "x = a and",
        "rows |>",
        "let s = \"\"\"\nfirst line",
        "fn f(x) =",
        "if a {\n} else",
        "let r = {a: 1,",
        "let inc = x =>",
        "f(\"a\",\n  # comment\n",
    ])
    func incomplete(source: String) {
        let result = parse(source)
        #expect(result.isIncomplete)
        #expect(!result.diagnostics.isEmpty)
    }

    @Test(arguments: [
        "let x = 1",
        "f(1))",
        "let x = \"abc",
        "let = (",
        "x = 1 @ (",
        "fn f(x)",
        "if x",
        "print(1),",
        "}",
        "",
    ])
    func complete(source: String) {
        #expect(!parse(source).isIncomplete)
    }
}
