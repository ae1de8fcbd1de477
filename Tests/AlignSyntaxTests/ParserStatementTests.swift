import Testing
import AlignSyntax

@Suite struct ParserStatementTests {
    @Test(arguments: [
        ("let x = 1", "(let x 1)"),
        ("var y = 2; y += 1", "(var y 2)\n(+= y 1)"),
        ("x = 3", "(= x 3)"),
        ("r.f = 1", "(= (. r f) 1)"),
        ("xs[0] -= 2", "(-= (index xs 0) 2)"),
        ("t.a[i] *= 2", "(*= (index (. t a) i) 2)"),
        ("z /= 4", "(/= z 4)"),
        ("let total = rows\n  |> map(r => r.n)\n  |> sum", "(let total (call sum (call map rows (=> (r) (. r n)))))"),
    ])
    func bindingsAndAssignments(source: String, expected: String) {
        #expect(tree(source) == expected)
    }

    @Test(arguments: [
        ("fn double(x) = x * 2", "(fn double (x) = (* x 2))"),
        ("fn pick(xs, k: 3) {\n  let ys = xs |> take(k)\n  return ys\n}",
         "(fn pick (xs k: 3) {(let ys (call take xs k)); (return ys)})"),
        ("fn f() { return }", "(fn f () {(return)})"),
        ("fn f() {}", "(fn f () {})"),
        ("fn g(a,\n     b) = a", "(fn g (a b) = a)"),
        ("prompt judge(query, a, b) = \"QUERY: {query} | RESPONSE 1: {a}\"",
         "(prompt judge (query a b) = (str \"QUERY: \" {query} \" | RESPONSE 1: \" {a}))"),
        ("objective empathy = \"Empathy: warmth\"", "(objective empathy (str \"Empathy: warmth\"))"),
        ("param n = 20", "(param n 20)"),
        ("param model_id = \"smollm2\"", "(param model_id (str \"smollm2\"))"),
    ])
    func declarations(source: String, expected: String) {
        #expect(tree(source) == expected)
    }

    @Test(arguments: [
        ("import objectives", "(import objectives)"),
        ("import objectives as o", "(import objectives as o)"),
        ("import \"lib/util.align\" as util", "(import \"lib/util.align\" as util)"),
        ("from metaaligner import hh_rlhf", "(from metaaligner import hh_rlhf)"),
        ("from m import a, b as c", "(from m import a, b as c)"),
        ("from \"x.align\" import a", "(from \"x.align\" import a)"),
    ])
    func imports(source: String, expected: String) {
        #expect(tree(source) == expected)
    }

    @Test(arguments: [
        ("for row in rows { print(row.query) }", "(for row rows {(call print (. row query))})"),
        ("for i in range(3) {\n  if i == 1 { continue }\n  if i == 2 { break }\n}",
         "(for i (call range 3) {(if (== i 1) {(continue)}); (if (== i 2) {(break)})})"),
        ("while i < 10 { i += 1 }", "(while (< i 10) {(+= i 1)})"),
        ("while true {\n}\n", "(while true {})"),
        ("for x in xs |> take(2) { x }", "(for x (call take xs 2) {x})"),
    ])
    func loops(source: String, expected: String) {
        #expect(tree(source) == expected)
    }

    @Test func blockEndingInRecordYieldsRecord() {
        let source = """
            let study = run "claude3-empathy" over rows as row {
              let edited = align(aligner, row.query, row.generated_text,
                                 [objectives.harmlessness, objectives.helpfulness, empathy],
                                 family: hh_rlhf, max_tokens: 128, seed: 7)
              {query: row.query, before: row.generated_text, after: edited, gold: row.goldens}
            }
            """
        let expected = "(let study (run (str \"claude3-empathy\") rows row {"
            + "(let edited (call align aligner (. row query) (. row generated_text) "
            + "[(. objectives harmlessness) (. objectives helpfulness) empathy] "
            + "family: hh_rlhf max_tokens: 128 seed: 7)); "
            + "{query: (. row query), before: (. row generated_text), after: edited, gold: (. row goldens)}}))"
        #expect(tree(source) == expected)
    }

    @Test func separatorsAndComments() {
        #expect(tree("a; b\n\n\nc # trailing\n;;") == "a\nb\nc")
        #expect(tree("# only a comment\n") == "")
        #expect(tree("") == "")
    }

    @Test func statementSpansCoverTheirSource() throws {
        let result = parse("let x = 1\nprompt p(a) = \"A: {a}\"  # note\n")
        #expect(result.diagnostics.isEmpty)
        let spans = result.program.statements.map { $0.span.text }
        #expect(spans == ["let x = 1", "prompt p(a) = \"A: {a}\""])
        #expect(result.program.statements[1].span.description == "test.align:2:1")
    }

    @Test func expressionSpansIncludeParentheses() throws {
        let result = parse("x = (a + b) * c")
        guard case .assignment(_, _, let value) = try #require(result.program.statements.first).kind,
              case .binary(_, let left, _) = value.kind else {
            Issue.record("expected an assignment of a product")
            return
        }
        #expect(value.span.text == "(a + b) * c")
        #expect(left.span.text == "(a + b)")
    }

    @Test func theLanguageTasteParses() {
        let source = """
            # hh-study.align — align one policy's answers toward three objectives and score them
            import objectives                 # stdlib
            from metaaligner import hh_rlhf   # stdlib: the HH-RLHF prompt family

            param n = 20
            objective empathy = "Empathy: The response should acknowledge the user's feelings with warmth"

            let aligner = model("smollm2")
            let rows = read("data/HH-RLHF/Claude-3.csv") |> take(n)

            let study = run "claude3-empathy" over rows as row {
              let edited = align(aligner, row.query, row.generated_text,
                                 [objectives.harmlessness, objectives.helpfulness, empathy],
                                 family: hh_rlhf, max_tokens: 128, seed: 7)
              {query: row.query, before: row.generated_text, after: edited, gold: row.goldens}
            }

            print(score(rouge, study.after, study.gold))
            """
        let result = parse(source)
        #expect(result.diagnostics.isEmpty)
        #expect(result.program.statements.count == 8)
        #expect(!result.isIncomplete)
    }
}
