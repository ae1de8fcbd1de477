import Testing
import AlignSyntax

/// Token kinds of `source` in a compact form: names bare, keywords as `kw:`, newlines as `⏎`.
func tokenList(_ source: String) -> String {
    let lexed = Lexer.tokenize(SourceFile(path: "t.align", text: source))
    return lexed.tokens.map { token -> String in
        switch token.kind {
        case .identifier(let name): return name
        case .keyword(let keyword): return "kw:\(keyword.rawValue)"
        case .integer(let value): return "int:\(value)"
        case .float(let value): return "float:\(value)"
        case .symbol(let symbol): return symbol.rawValue
        case .stringStart(let delimiter):
            return (delimiter.isRaw ? "r" : "") + (delimiter.isMultiline ? "\"\"\"" : "\"")
        case .stringText(let text): return String(reflecting: text)
        case .interpolationStart: return "${"
        case .interpolationEnd: return "}$"
        case .stringEnd: return "end\""
        case .newline: return "⏎"
        case .invalid: return "invalid"
        case .endOfFile: return "EOF"
        }
    }.joined(separator: " ")
}

@Suite struct LexerTests {
    @Test func identifiersKeywordsAndNumbers() {
        #expect(tokenList("let x_1 = 42") == "kw:let x_1 = int:42 EOF")
        #expect(tokenList("break continue over run") == "kw:break kw:continue kw:over kw:run EOF")
        #expect(tokenList("1_000 3.5 1e-3 2E+2 7e") == "int:1000 float:3.5 float:0.001 float:200.0 invalid EOF")
        #expect(tokenList("1.x") == "int:1 . x EOF")
        #expect(tokenList("_private") == "_private EOF")
    }

    @Test func stringsAreSplitIntoTextAndInterpolationTokens() {
        #expect(tokenList(#""a {x} b""#) == #"" "a " ${ x }$ " b" end" EOF"#)
        #expect(tokenList(#""{ {q: 1} }""#) == #"" "" ${ { q : int:1 } }$ "" end" EOF"#)
        #expect(tokenList(#"r"{x}""#) == #"r" "{x}" end" EOF"#)
        #expect(tokenList("\"\"\"\n  a {x}\n  \"\"\"") == #"""" "a " ${ x }$ "" end" EOF"#)
        #expect(tokenList("f(\"abc\n)") == "f ( invalid ) EOF")
    }

    @Test func byteOrderMarkIsSkipped() {
        #expect(tokenList("\u{FEFF}let x = 1") == "kw:let x = int:1 EOF")
        #expect(tokenList("x\u{FEFF}") == "x invalid EOF")
    }

    @Test func everyKeywordIsRecognised() {
        for keyword in Keyword.allCases {
            #expect(tokenList(keyword.rawValue) == "kw:\(keyword.rawValue) EOF")
        }
    }

    @Test func operatorsTakeTheLongestMatch() {
        #expect(tokenList("a // b ** c |> d => e") == "a // b ** c |> d => e EOF")
        #expect(tokenList("== != <= >= < > = += -= *= /= + - * / %")
                == "== != <= >= < > = += -= *= /= + - * / % EOF")
        #expect(tokenList("( ) [ ] { } , : .") == "( ) [ ] { } , : . EOF")
    }

    @Test func newlinesEndStatementsOnlyWhereSignificant() {
        #expect(tokenList("a\nb") == "a ⏎ b EOF")
        #expect(tokenList("a\n\n\n  b\n") == "a ⏎ b EOF")
        #expect(tokenList("a;b") == "a ⏎ b EOF")
        #expect(tokenList("f(a,\n b\n)") == "f ( a , b ) EOF")
        #expect(tokenList("[1\n 2]") == "[ int:1 int:2 ] EOF")
        #expect(tokenList("{\n a\n}") == "{ a ⏎ } EOF")
        #expect(tokenList("a +\n b") == "a + b EOF")
        #expect(tokenList("a\n |> f") == "a |> f EOF")
        #expect(tokenList("a\n and b") == "a kw:and b EOF")
        #expect(tokenList("}\nelse {") == "} kw:else { EOF")
        #expect(tokenList("a\n -b") == "a ⏎ - b EOF")
        #expect(tokenList("a # c\n# d\n|> f") == "a |> f EOF")
    }

    @Test func statementKeywordInsideOpenParenClosesIt() {
        #expect(tokenList("f(1,\nlet y = 2") == "f ( int:1 , ⏎ kw:let y = int:2 EOF")
        #expect(tokenList("f(\n  from: 1)") == "f ( kw:from : int:1 ) EOF")
    }

    @Test func commentsAreKeptForHighlighting() {
        let source = "x = 1 # one\n# two"
        let lexed = Lexer.tokenize(SourceFile(path: "t", text: source))
        let texts = lexed.comments.map { String(source.utf8[source.utf8.index(source.utf8.startIndex, offsetBy: $0.lowerBound)..<source.utf8.index(source.utf8.startIndex, offsetBy: $0.upperBound)])! }
        #expect(texts == ["# one", "# two"])
    }

    @Test func tokenSpansPointAtTheirText() {
        let file = SourceFile(path: "t", text: "let café = \"é\" |> f")
        let lexed = Lexer.tokenize(file)
        let texts = lexed.tokens.map { $0.span(in: file).text }
        #expect(texts == ["let", "caf", "é", "=", "\"", "é", "\"", "|>", "f", ""])
        #expect(lexed.diagnostics.count == 1)
    }

    @Test func integerOverflowIsADiagnostic() {
        let lexed = Lexer.tokenize(SourceFile(path: "t", text: "x = 9223372036854775808"))
        #expect(lexed.diagnostics.map(\.message) == ["integer literal `9223372036854775808` does not fit in 64 bits"])
        #expect(tokenList("9223372036854775807") == "int:9223372036854775807 EOF")
    }

    @Test func unknownCharactersAreOneDiagnosticPerRun() {
        let lexed = Lexer.tokenize(SourceFile(path: "t", text: "a @@ b && c"))
        #expect(lexed.diagnostics.map(\.message) == ["unexpected characters `@@`", "unexpected characters `&&`"])
        #expect(lexed.diagnostics[1].help == "use `and` to combine conditions")
        #expect(tokenList("a @@ b") == "a invalid b EOF")
    }

    @Test func endsOpenTracksBracketsStringsAndTrailingOperators() {
        func open(_ s: String) -> Bool { Lexer.tokenize(SourceFile(path: "t", text: s)).endsOpen }
        #expect(open("f(1,"))
        #expect(open("[1, 2"))
        #expect(open("for x in xs {"))
        #expect(open("x = 1 +"))
        #expect(open("x = 1 +  # more to come\n"))
        #expect(open("x = \"\"\"\nabc"))
        #expect(open("a |>"))
        #expect(!open("x = 1"))
        #expect(!open("f(1)"))
        #expect(!open("x = \"abc"))
    }
}
