import Testing
import AlignSyntax

/// A seeded generator so a failing mutation can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Valid scripts covering every construct; mutated copies of them feed the property test.
let seedScripts = [
    """
    import objectives
    from metaaligner import hh_rlhf, align_file as af
    import "lib/util.align" as util
    param n = 20
    objective empathy = "Empathy: warmth"
    prompt judge(query, a, b: "none") = "QUERY: {query} | 1: {a} | 2: {b}"
    let rows = read("data/x.csv") |> take(n)
    var total = 0; total += 1
    fn pick(xs, k: 3) {
      let ys = xs |> take(k)
      return ys
    }
    fn double(x) = x * 2
    let study = run "claude3-{n}" over rows as row {
      let edited = align(model("smollm2"), row.query, row.answer, [objectives.harmlessness, empathy],
                         family: hh_rlhf, max_tokens: 128, seed: 7)
      {query: row.query, after: edited, n: -2 ** 2 // 3 % 2}
    }
    for r in rows { if r.label == "yes" and not (r.x in [1, 2]) { continue } else if r.x { break } }
    while total < 10 { total += 1 }
    let inc = (a, b) => a + b
    let s = \"\"\"
      Hello {rows[0].query}
      raw: {r"{x}"} \\u{1F600}
      \"\"\"
    print(rows[1:3], rows[:2], rows[2:], {query}, xs[-1], 1e-3, 1_000, null, true)
    rows
      |> filter(r => r.label != "no")
      |> map(r => {q: r.query})
    """,
    """
    let x = if a > b { "a" } else { "b" }
    let m = {name: "DR", n: 405, "a key": [1, 2.5, "three"]}
    m.n = m.n / 2
    m["name"] = "X {m.n} \\{literal\\}"
    """,
]

func mutate(_ source: String, _ rng: inout SplitMix64) -> String {
    var bytes = Array(source.utf8)
    let interesting = Array("\"{}()[]\\\n#:,.|>=-*r\"\"\"éλ😀\t\r;'@".utf8)
    let mutations = Int.random(in: 1...4, using: &rng)
    for _ in 0..<mutations where !bytes.isEmpty {
        let i = Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<7, using: &rng) {
        case 0: bytes[i] = UInt8.random(in: 0...255, using: &rng)
        case 1: bytes[i] = interesting.randomElement(using: &rng) ?? 0
        case 2: bytes.insert(interesting.randomElement(using: &rng) ?? 0, at: i)
        case 3: bytes.remove(at: i)
        case 4: bytes.removeSubrange(i...)
        case 5:
            let j = Int.random(in: i..<min(bytes.count, i + 40), using: &rng)
            bytes.insert(contentsOf: bytes[i...j], at: Int.random(in: 0...bytes.count, using: &rng))
        default:
            var words = String(decoding: bytes, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
            let a = Int.random(in: 0..<words.count, using: &rng), b = Int.random(in: 0..<words.count, using: &rng)
            words.swapAt(a, b)
            bytes = Array(words.joined(separator: " ").utf8)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Every span in the tree lies inside the file.
func spansInside(_ program: Program) -> Bool {
    let count = program.file.bytes.count
    func ok(_ span: SourceSpan) -> Bool { span.start >= 0 && span.start <= span.end && span.end <= count }
    func expr(_ e: Expr) -> Bool {
        guard ok(e.span) else { return false }
        switch e.kind {
        case .list(let items): return items.allSatisfy(expr)
        case .record(let fields): return fields.allSatisfy { ok($0.key.span) && expr($0.value) }
        case .unary(_, let a), .member(let a, _): return expr(a)
        case .binary(_, let a, let b), .index(let a, let b): return expr(a) && expr(b)
        case .call(let callee, let arguments): return expr(callee) && arguments.allSatisfy { expr($0.value) }
        case .slice(let base, let lower, let upper):
            return expr(base) && (lower.map(expr) ?? true) && (upper.map(expr) ?? true)
        case .lambda(_, let body): return expr(body)
        case .ifElse(let c, let then, let other): return expr(c) && block(then) && (other.map(expr) ?? true)
        case .block(let b): return block(b)
        case .run(let name, let source, _, let body): return expr(name) && expr(source) && block(body)
        case .string(let parts):
            return parts.allSatisfy { if case .interpolation(let e) = $0 { return expr(e) } else { return true } }
        default: return true
        }
    }
    func block(_ b: Block) -> Bool { ok(b.span) && b.statements.allSatisfy(stmt) }
    func stmt(_ s: Stmt) -> Bool {
        guard ok(s.span) else { return false }
        switch s.kind {
        case .expression(let e), .binding(_, _, let e), .objective(_, let e), .param(_, let e): return expr(e)
        case .assignment(let t, _, let v): return expr(t) && expr(v)
        case .function(let d), .prompt(let d):
            switch d.body {
            case .expression(let e): return expr(e)
            case .block(let b): return block(b)
            }
        case .forLoop(_, let e, let b), .whileLoop(let e, let b): return expr(e) && block(b)
        case .returnStatement(let e): return e.map(expr) ?? true
        default: return true
        }
    }
    return program.statements.allSatisfy(stmt)
}

@Suite struct RobustnessTests {
    @Test func seedScriptsParseCleanly() {
        for script in seedScripts {
            let result = parse(script)
            #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
            #expect(spansInside(result.program))
        }
    }

    @Test(.timeLimit(.minutes(2))) func mutatedScriptsNeverCrashAndAlwaysExplain() {
        var rng = SplitMix64(state: 0xA11CE)
        var rejected = 0
        for round in 0..<4000 {
            let source = mutate(seedScripts[round % seedScripts.count], &rng)
            let result = parse(source)
            let size = Array(source.utf8).count
            let unexplained = result.diagnostics.filter { d in
                guard let span = d.span else { return true }
                return span.start < 0 || span.end > size || span.start > span.end
            }
            #expect(unexplained.isEmpty, "round \(round): \(source.debugDescription)")
            #expect(spansInside(result.program), "round \(round)")
            if !result.diagnostics.isEmpty {
                rejected += 1
                #expect(!DiagnosticRenderer.plain.render(result.diagnostics).isEmpty)
            }
        }
        #expect(rejected > 1000)
    }

    @Test(arguments: [
        String(repeating: "(", count: 20_000),
        String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000),
        String(repeating: "{", count: 20_000),
        "x = " + String(repeating: "{a: ", count: 20_000),
        String(repeating: "if x {", count: 20_000),
        String(repeating: "for x in y {\n", count: 20_000),
        "x = " + String(repeating: "-", count: 50_000) + "1",
        "x = " + String(repeating: "not ", count: 50_000) + "1",
        "x = 1" + String(repeating: " + 1", count: 50_000),
        "x = 2" + String(repeating: " ** 2", count: 50_000),
        "x = a" + String(repeating: ".b", count: 50_000),
        "x = f" + String(repeating: "()", count: 50_000),
        "x = a" + String(repeating: " |> f", count: 50_000),
        String(repeating: "\"{", count: 20_000),
        "if a {}" + String(repeating: " else if a {}", count: 20_000),
        String(repeating: "x => ", count: 20_000) + "1",
        String(repeating: "\"\"\"\n{", count: 5_000),
    ])
    func pathologicalNestingIsADiagnostic(source: String) {
        let result = parse(source)
        #expect(!result.diagnostics.isEmpty)
        #expect(result.diagnostics.allSatisfy { $0.span != nil })
    }
}
