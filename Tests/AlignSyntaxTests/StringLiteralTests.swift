import Testing
import AlignSyntax

@Suite struct StringLiteralTests {
    @Test(arguments: [
        (#""plain""#, #"(str "plain")"#),
        (#""""#, #"(str "")"#),
        (#""a\nb\t\"c\" \\ \{x\} \r \0""#, #"(str "a\nb\t\"c\" \\ {x} \r \0")"#),
        (#""\u{1F600} \u{e9}""#, #"(str "😀 é")"#),
        (#""a {x} b""#, #"(str "a " {x} " b")"#),
        (#""{x}""#, "(str {x})"),
        (#""{a}{b}""#, "(str {a} {b})"),
        (#""{f(x, k: 2)}!""#, #"(str {(call f x k: 2)} "!")"#),
        (#""{ {q: 1} }""#, "(str {{q: 1}})"),
        (#""outer {"inner {x}"} end""#, #"(str "outer " {(str "inner " {x})} " end")"#),
        (#""{xs |> map(x => "<{x}>")}""#, #"(str {(call map xs (=> (x) (str "<" {x} ">")))})"#),
        (#""a}b""#, #"(str "a}b")"#),
        (#"r"{raw} \n""#, #"(str "{raw} \\n")"#),
        (#"r"""#, #"(str "")"#),
    ])
    func singleLine(source: String, expected: String) {
        #expect(tree(source) == expected)
    }

    @Test func multiLineRemovesTheClosingIndentation() {
        let source = "let s = \"\"\"\n    Hello\n      indented\n\n    {name}!\n    \"\"\""
        #expect(tree(source) == #"(let s (str "Hello\n  indented\n\n" {name} "!"))"#)
    }

    @Test func multiLineEdgeCases() {
        #expect(tree("\"\"\"\n\"\"\"") == #"(str "")"#)
        #expect(tree("\"\"\"\nx\n\"\"\"") == #"(str "x")"#)
        #expect(tree("\"\"\"\n\n\"\"\"") == #"(str "")"#)
        #expect(tree("\"\"\"\na\n\n\"\"\"") == #"(str "a\n")"#)
        #expect(tree("\"\"\"\n  a \\\n  b\n  \"\"\"") == #"(str "a b")"#)
        #expect(tree("\"\"\"  \n  \"quoted\" \\\"\"\" \n  \"\"\"") == #"(str "\"quoted\" \"\"\" ")"#)
        #expect(tree("\"\"\"\r\n  a\r\n  b\r\n  \"\"\"") == #"(str "a\nb")"#)
        #expect(tree("\"\"\"\n\t\ta\n\t\t\"\"\"") == #"(str "a")"#)
        #expect(tree("\"\"\"\n  a {\n x\n } b\n  \"\"\"") == #"(str "a " {x} " b")"#)
        #expect(tree("\"\"\"\n  short\n\n  \"\"\"") == #"(str "short\n")"#)
    }

    @Test func rawMultiLineKeepsBracesAndBackslashes() {
        let source = "let t = r\"\"\"\n  {\"a\": \\n}\n  \"\"\""
        #expect(tree(source) == #"(let t (str "{\"a\": \\n}"))"#)
    }

    @Test(arguments: [
        (#"x = "a\qb""#, "unknown escape sequence `\\q`"),
        (#"x = "\u{110000}""#, "invalid unicode escape `\\u{110000}`"),
        (#"x = "\u00e9""#, "invalid unicode escape `\\u`"),
        ("x = \"abc\ny = 1", "unterminated string"),
        ("x = \"{a\ny = 1", "unterminated string"),
        ("x = \"\"\" text\n  \"\"\"", "multi-line string content must start on a new line"),
        ("x = \"\"\"\n  a\n  b \"\"\"", "closing `\"\"\"` must be on a line of its own"),
        ("x = \"\"\"\n a\n  \"\"\"", "insufficient indentation of line in multi-line string"),
        ("x = \"\"\"\n  a", "unterminated multi-line string"),
        (#"x = "a {} b""#, "empty interpolation `{}`"),
    ])
    func errors(source: String, message: String) {
        let result = parse(source)
        #expect(result.diagnostics.map(\.message) == [message])
    }

    @Test func unterminatedStringDoesNotHideTheNextLine() {
        let result = parse("x = \"abc\nlet = 2\ny = 3")
        #expect(result.diagnostics.map(\.message) == ["unterminated string", "expected a name after `let`"])
        #expect(result.program.statements.count == 1)
    }
}
