import Testing
import AlignSyntax

@Suite struct ParserExpressionTests {
    @Test(arguments: [
        ("42", "42"),
        ("1_000", "1000"),
        ("3.5", "3.5"),
        ("1e-3", "0.001"),
        ("2.5E2", "250.0"),
        ("true", "true"),
        ("null", "null"),
        ("x", "x"),
        ("[1, 2, 3]", "[1 2 3]"),
        ("[]", "[]"),
        ("[1,\n 2,\n]", "[1 2]"),
        ("{name: \"DR\", n: 405}", "{name: (str \"DR\"), n: 405}"),
        ("{query}", "{query: query}"),
        ("{}", "{}"),
        ("{a: 1, query,}", "{a: 1, query: query}"),
        ("{\n  a: 1,\n  b: 2\n}", "{a: 1, b: 2}"),
        ("{\"a key\": 1, from: 2}", "{a key: 1, from: 2}"),
    ])
    func literals(source: String, expected: String) {
        #expect(tree(source) == expected)
    }

    @Test(arguments: [
        ("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
        ("1 - 2 - 3", "(- (- 1 2) 3)"),
        ("a / b // c % d", "(% (// (/ a b) c) d)"),
        ("-2 ** 2", "(- (** 2 2))"),
        ("2 ** 3 ** 2", "(** 2 (** 3 2))"),
        ("2 ** -1", "(** 2 (- 1))"),
        ("-x * y", "(* (- x) y)"),
        ("- -x", "(- (- x))"),
        ("a or b and c", "(or a (and b c))"),
        ("not a == b", "(not (== a b))"),
        ("not a and b", "(and (not a) b)"),
        ("a and not b", "(and a (not b))"),
        ("not not a", "(not (not a))"),
        ("x in xs", "(in x xs)"),
        ("x not in xs", "(not in x xs)"),
        ("a + 1 < b * 2", "(< (+ a 1) (* b 2))"),
        ("a != b or c >= d", "(or (!= a b) (>= c d))"),
        ("a <= b", "(<= a b)"),
        ("a > b", "(> a b)"),
    ])
    func operators(source: String, expected: String) {
        #expect(tree(source) == expected)
    }

    @Test(arguments: [
        ("f(a, b)", "(call f a b)"),
        ("f()", "(call f)"),
        ("f(a, family: hh_rlhf, k: 3)", "(call f a family: hh_rlhf k: 3)"),
        ("f(a,\n  b,\n)", "(call f a b)"),
        ("f(from: 1)", "(call f from: 1)"),
        ("f(x)(y)", "(call (call f x) y)"),
        ("xs[0]", "(index xs 0)"),
        ("xs[-1]", "(index xs (- 1))"),
        ("r[\"name\"]", "(index r (str \"name\"))"),
        ("xs[1:3]", "(slice xs 1 3)"),
        ("xs[:3]", "(slice xs _ 3)"),
        ("xs[1:]", "(slice xs 1 _)"),
        ("xs[:]", "(slice xs _ _)"),
        ("r.name", "(. r name)"),
        ("study.run.over", "(. (. study run) over)"),
        ("t.query[0].x", "(. (index (. t query) 0) x)"),
        ("m.f(x).y", "(. (call (. m f) x) y)"),
    ])
    func postfix(source: String, expected: String) {
        #expect(tree(source) == expected)
    }

    @Test(arguments: [
        ("a |> f(b)", "(call f a b)"),
        ("a |> f", "(call f a)"),
        ("a |> f |> g(1)", "(call g (call f a) 1)"),
        ("rows |> filter(r => r.label == \"yes\") |> map(r => r.query)",
         "(call map (call filter rows (=> (r) (== (. r label) (str \"yes\")))) (=> (r) (. r query)))"),
        ("a |> m.f(k: 2)", "(call (. m f) a k: 2)"),
        ("a or b |> f", "(call f (or a b))"),
        ("rows\n  |> take(5)\n  |> map(r => r.x)", "(call map (call take rows 5) (=> (r) (. r x)))"),
        ("a\n  and b\n  or c", "(or (and a b) c)"),
        ("1 +\n 2", "(+ 1 2)"),
        ("1\n + 2", "(+ 1 2)"),
        ("x\n# comment\n\n  |> f", "(call f x)"),
    ])
    func pipelinesAndContinuation(source: String, expected: String) {
        #expect(tree(source) == expected)
    }

    @Test(arguments: [
        ("x => x + 1", "(=> (x) (+ x 1))"),
        ("(a, b) => a * b", "(=> (a b) (* a b))"),
        ("() => 1", "(=> () 1)"),
        ("(x) => x", "(=> (x) x)"),
        ("x => {a: x}", "(=> (x) {a: x})"),
        ("x => y => x + y", "(=> (x) (=> (y) (+ x y)))"),
        ("(a, k: 2) => a", "(=> (a k: 2) a)"),
        ("x => x |> f", "(=> (x) (call f x))"),
        ("(x)", "x"),
    ])
    func lambdas(source: String, expected: String) {
        #expect(tree(source) == expected)
    }

    @Test(arguments: [
        ("if a > b { \"a\" } else { \"b\" }", "(if (> a b) {(str \"a\")} {(str \"b\")})"),
        ("if a { 1 }", "(if a {1})"),
        ("if a { 1 } else if b { 2 } else { 3 }", "(if a {1} (if b {2} {3}))"),
        ("if a {\n  1\n}\nelse {\n  2\n}", "(if a {1} {2})"),
        ("let x = if a { {q: 1} } else { {} }", "(let x (if a {{q: 1}} {{}}))"),
        ("if x == {a: 1} {}", "!expected an expression @test.align:1:9"),
        ("if ({a: 1}) == x { 2 }", "(if (== {a: 1} x) {2})"),
        ("run \"claude\" over rows |> take(n) as row {\n  {query: row.query}\n}",
         "(run (str \"claude\") (call take rows n) row {{query: (. row query)}})"),
    ])
    func conditionalsAndRuns(source: String, expected: String) {
        #expect(tree(source) == expected)
    }
}
