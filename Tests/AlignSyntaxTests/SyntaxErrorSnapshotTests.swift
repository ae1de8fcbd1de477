import Testing
import AlignSyntax

/// Plain renders of every kind of syntax error; the expected text is the exact terminal output.
@Suite struct SyntaxErrorSnapshotTests {
    func render(_ source: String) -> String {
        DiagnosticRenderer.plain.render(parse(source).diagnostics)
    }

    @Test func missingClosingParenthesis() {
        #expect(render("print(a b)") == """
            error: expected `)` to close `(`
             --> test.align:1:9
              |
            1 | print(a b)
              |         ^ found `b`
              = help: separate arguments with `,`
            """)
    }

    @Test func unclosedParenthesisBeforeAStatement() {
        #expect(render("f(1,\nlet y = 2") == """
            error: expected `)` to close `(`
             --> test.align:1:5
              |
            1 | f(1,
              |     ^ line ends here
            """)
    }

    @Test func unclosedBracketOnAnEarlierLine() {
        #expect(render("x = [1, 2\ny = 3") == """
            error: expected `]` to close `[`
             --> test.align:2:1
              |
            2 | y = 3
              | ^ found `y`
              = note: `[` opened at line 1, column 5
            """)
    }

    @Test func missingCommaInRecord() {
        #expect(render("let r = {a: 1 b: 2}") == """
            error: expected `}` to close the record
             --> test.align:1:15
              |
            1 | let r = {a: 1 b: 2}
              |               ^ found `b`
              = help: separate fields with `,`
            """)
    }

    @Test func assignmentInCondition() {
        #expect(render("if x = 3 { 1 }") == """
            error: expected `{` after the `if` condition
             --> test.align:1:6
              |
            1 | if x = 3 { 1 }
              |      ^ found `=`
              = help: to compare values, use `==`
            """)
    }

    @Test func keywordAsName() {
        #expect(render("let in = 3") == """
            error: expected a name after `let`, found keyword `in`
             --> test.align:1:5
              |
            1 | let in = 3
              |     ^^ reserved word
              = help: keywords cannot be used as names; pick another name
            """)
    }

    @Test func missingValueInBinding() {
        #expect(render("let x\nprint(x)") == """
            error: expected `=` after `let x`
             --> test.align:1:6
              |
            1 | let x
              |      ^ line ends here
            """)
    }

    @Test func missingOperand() {
        #expect(render("let x = 1 +* 2") == """
            error: expected an expression
             --> test.align:1:12
              |
            1 | let x = 1 +* 2
              |            ^ found `*`
            """)
    }

    @Test func statementUsedAsValue() {
        #expect(render("let x = let y") == """
            error: expected an expression, found `let`
             --> test.align:1:9
              |
            1 | let x = let y
              |         ^^^ `let` starts a statement
              = help: statements cannot be used as values; put it on a line of its own
            """)
    }

    @Test func chainedComparison() {
        #expect(render("a < b < c") == """
            error: comparison operators cannot be chained
             --> test.align:1:7
              |
            1 | a < b < c
              |       ^ second comparison
              = help: join two comparisons with `and`, e.g. `a < b and b < c`
            """)
    }

    @Test func invalidAssignmentTarget() {
        #expect(render("f(x) = 2") == """
            error: cannot assign to this expression
             --> test.align:1:1
              |
            1 | f(x) = 2
              | ^^^^ not a variable, field or element
              = help: to compare values, use `==`
            """)
    }

    @Test func trailingTokensAfterStatement() {
        #expect(render("let x = 1 2") == """
            error: expected a new line or `;` after the statement
             --> test.align:1:11
              |
            1 | let x = 1 2
              |           ^ found a number
            """)
    }

    @Test func habitsFromOtherLanguages() {
        #expect(render("def f(x) = x") == """
            error: expected a new line or `;` after the statement
             --> test.align:1:5
              |
            1 | def f(x) = x
              |     ^ found `f`
              = help: functions are declared with `fn`: `fn name(x) = …`
            """)
        #expect(render("if a { 1 } elif b { 2 }") == """
            error: expected a new line or `;` after the statement
             --> test.align:1:12
              |
            1 | if a { 1 } elif b { 2 }
              |            ^^^^ found `elif`
              = help: write `else if`
            """)
    }

    @Test func functionWithoutBody() {
        #expect(render("fn f(x) x") == """
            error: expected `=` or `{` after the parameters of `f`
             --> test.align:1:9
              |
            1 | fn f(x) x
              |         ^ found `x`
              = help: write `fn f(…) = expression` or `fn f(…) { … }`
            """)
    }

    @Test func unclosedBlock() {
        #expect(render("for x in xs {\n  print(x)\n") == """
            error: expected `}` to close the block
             --> test.align:2:11
              |
            2 |   print(x)
              |           ^ input ends here
              = note: block opened at line 1, column 13
            """)
    }

    @Test func strayClosingBrace() {
        #expect(render("x = 1\n}") == """
            error: unexpected `}`
             --> test.align:2:1
              |
            2 | }
              | ^ no open `{` to close
            """)
    }

    @Test func duplicateRecordField() {
        #expect(render("let r = {a: 1, a: 2}") == """
            error: duplicate field `a` in record
             --> test.align:1:16
              |
            1 | let r = {a: 1, a: 2}
              |                ^ already set earlier in this record
            """)
    }

    @Test func runWithoutOver() {
        #expect(render("run \"x\" rows as r {}") == """
            error: expected `over` after the run name
             --> test.align:1:9
              |
            1 | run "x" rows as r {}
              |         ^^^^ found `rows`
              = help: write `run "name" over rows as row { … }`
            """)
    }

    @Test func fileImportWithoutAlias() {
        #expect(render("import \"lib.align\"") == """
            error: expected `as` after the imported file
             --> test.align:1:19
              |
            1 | import "lib.align"
              |                   ^ input ends here
              = help: name the module: `import "file.align" as name`
            """)
    }

    @Test func promptTemplateMustBeOneString() {
        #expect(render("prompt p(x) = \"{x}\" + \"y\"") == """
            error: a prompt template must be a single string
             --> test.align:1:21
              |
            1 | prompt p(x) = "{x}" + "y"
              |                     ^ found `+`
              = help: put the whole text in one string and insert values with `{…}`
            """)
    }

    @Test func unknownCharacterWithHint() {
        #expect(render("ok = a && b") == """
            error: unexpected characters `&&`
             --> test.align:1:8
              |
            1 | ok = a && b
              |        ^^ not part of the language
              = help: use `and` to combine conditions
            """)
    }

    @Test func singleQuotes() {
        #expect(render("x = 'a b'") == """
            error: strings use double quotes
             --> test.align:1:5
              |
            1 | x = 'a b'
              |     ^^^^^ single quotes
              = help: write `"a b"`
            """)
    }

    @Test func integerOverflow() {
        #expect(render("x = 9223372036854775808") == """
            error: integer literal `9223372036854775808` does not fit in 64 bits
             --> test.align:1:5
              |
            1 | x = 9223372036854775808
              |     ^^^^^^^^^^^^^^^^^^^ larger than 9223372036854775807
              = help: write it as a float, e.g. `9223372036854775808.0`
            """)
    }

    @Test func unterminatedString() {
        #expect(render("print(\"abc)\nx = 1") == """
            error: unterminated string
             --> test.align:1:7
              |
            1 | print("abc)
              |       ^^^^^ missing closing `"`
            """)
    }

    @Test func unterminatedMultiLineString() {
        #expect(render("let s = \"\"\"\n  text\n") == """
            error: unterminated multi-line string
             --> test.align:1:9
              |
            1 | let s = \"\"\"
              |         ^^^ this `\"\"\"` is never closed
              = help: end the string with `\"\"\"` on a line of its own
            """)
    }

    @Test func badEscape() {
        #expect(render(#"x = "C:\path""#) == #"""
            error: unknown escape sequence `\p`
             --> test.align:1:8
              |
            1 | x = "C:\path"
              |        ^^ not an escape
              = help: escapes are \n \t \r \0 \" \\ \{ \} \u{…}; write `\\` for a backslash
            """#)
    }

    @Test func badUnicodeEscape() {
        #expect(render(#"x = "\u{110000}""#) == #"""
            error: invalid unicode escape `\u{110000}`
             --> test.align:1:6
              |
            1 | x = "\u{110000}"
              |      ^^^^^^^^^^ expected `\u{` hex digits `}`
              = help: write a code point like `\u{1F600}`
            """#)
    }

    @Test func emptyInterpolation() {
        #expect(render(#"x = "a {} b""#) == #"""
            error: empty interpolation `{}`
             --> test.align:1:8
              |
            1 | x = "a {} b"
              |        ^^ nothing to insert
              = help: write `\{` and `\}` for literal braces, or use a raw string `r"…"`
            """#)
    }

    @Test func insufficientIndentation() {
        #expect(render("x = \"\"\"\n a\n  \"\"\"") == #"""
            error: insufficient indentation of line in multi-line string
             --> test.align:2:1
              |
            2 |  a
              | ^ indented less than the closing `"""`
              = help: indent every line at least as far as the closing `"""`, using the same spaces or tabs
            """#)
    }

    @Test func statementsInALambdaBody() {
        #expect(render("let f = x => {\n  return x\n}\nprint(1)") == """
            error: expected a field name in the record, found `return`
             --> test.align:2:3
              |
            2 |   return x
              |   ^^^^^^ a statement cannot go in a record
              = help: a `{` here starts a record; for a function with statements, use `fn name(…) { … }`
            """)
    }

    @Test func tooDeeplyNested() {
        let source = "x = " + String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300)
        let result = parse(source)
        #expect(result.diagnostics.map(\.message) == ["expression nested too deeply"])
        #expect(result.diagnostics.first?.label == "more than 256 levels of nesting")
    }
}
