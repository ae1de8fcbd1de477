import AlignSyntax
import Testing
@testable import AlignRuntime

/// Evaluator behaviour that `.align` case files cannot express: limits, interruption, REPL
/// persistence, values handed to the host, and properties of the arithmetic.
@Suite struct InterpreterTests {
    /// Runs `source` in `interpreter`, returning output and outcome.
    static func run(_ source: String, in interpreter: Interpreter? = nil, options: Interpreter.Options = .init(),
                    path: String = "test.align") -> (output: String, outcome: Interpreter.Outcome) {
        let box = OutputBox()
        var options = options
        options.output = { box.text += $0 }
        let interp = interpreter ?? Interpreter(options: options)
        if interpreter != nil { interp.runtime.outputSink = { box.text += $0 } }
        let outcome = interp.run(SourceFile(path: path, text: source))
        return (box.text, outcome)
    }

    @Test func handBuiltSyntaxTreeRuns() {
        let file = SourceFile(path: "ast.align", text: "x")
        let s = SourceSpan(file: file, start: 0, end: 1)
        // let x = 6 * 7; x
        let program = Program(file: file, statements: [
            Stmt(.binding(mutable: false, name: Identifier("x", s),
                          value: Expr(.binary(.multiply, Expr(.int(6), s), Expr(.int(7), s)), s)), s),
            Stmt(.expression(Expr(.name("x"), s)), s),
        ])
        let outcome = Interpreter().run(program)
        #expect(outcome.diagnostics.isEmpty)
        #expect(outcome.value == .int(42))
    }

    @Test func lastExpressionIsTheValue() {
        let (_, outcome) = Self.run("let a = [1, 2]\na + [3]")
        #expect(outcome.value == .list([.int(1), .int(2), .int(3)]))
    }

    @Test func deepRecursionIsADiagnosticNotACrash() {
        var options = Interpreter.Options()
        options.maxCallDepth = 20_000
        let (_, outcome) = Self.run("fn down(n) = if n == 0 { 0 } else { 1 + down(n - 1) }\ndown(1000000)", options: options)
        #expect(outcome.diagnostics.first?.message == "recursion too deep")
        // The stack of notes is bounded even for very deep recursion.
        #expect((outcome.diagnostics.first?.notes.count ?? 0) <= Runtime.maxCallNotes + 1)
    }

    @Test func recursionWithinTheLimitWorks() {
        let (_, outcome) = Self.run("fn down(n) = if n == 0 { 0 } else { 1 + down(n - 1) }\ndown(3000)")
        #expect(outcome.value == .int(3000))
    }

    @Test func stepBudgetStopsEndlessLoops() {
        var options = Interpreter.Options()
        options.stepBudget = 10_000
        let (_, outcome) = Self.run("var i = 0\nwhile true { i += 1 }", options: options)
        #expect(outcome.diagnostics.first?.message.contains("step budget") == true)
    }

    @Test func interruptionStopsARunningLoop() {
        let interpreter = Interpreter()
        interpreter.interruption.request()
        let (_, outcome) = Self.run("var i = 0\nwhile true { i += 1 }", in: interpreter)
        #expect(outcome.diagnostics.first?.message == "interrupted")
        interpreter.interruption.clear()
        let (_, again) = Self.run("1 + 1", in: interpreter)
        #expect(again.value == .int(2))
    }

    @Test func callStackNotesNameEachCall() {
        let (_, outcome) = Self.run("fn pick(xs) = xs[5]\nfn outer() = pick([1])\nouter()", path: "stack.align")
        let d = outcome.diagnostics.first
        #expect(d?.message.contains("out of range") == true)
        #expect(d?.notes == ["in fn `pick` called at stack.align:2:14", "in fn `outer` called at stack.align:3:1"])
    }

    @Test func replCellsShareGlobalsAndMayRedefine() {
        var options = Interpreter.Options()
        options.allowsRedefinition = true
        let interpreter = Interpreter(options: options)
        #expect(Self.run("let x = 1\nfn f() = x * 10", in: interpreter).outcome.diagnostics.isEmpty)
        #expect(Self.run("f()", in: interpreter).outcome.value == .int(10))
        #expect(Self.run("let x = x + 1\nx", in: interpreter).outcome.value == .int(2))
        #expect(interpreter.globalNames.contains("f"))
    }

    @Test func failedCellLeavesNoNames() {
        var options = Interpreter.Options()
        options.allowsRedefinition = true
        let interpreter = Interpreter(options: options)
        let (_, bad) = Self.run("let y = 1\nlet z = nope", in: interpreter)
        #expect(!bad.diagnostics.isEmpty)
        #expect(!interpreter.globalNames.contains("y"))
    }

    @Test func promptKeepsItsSourceText() throws {
        let source = "prompt judge(q, a) = \"Q: {q} A: {a}\""
        let (_, outcome) = Self.run(source + "\njudge")
        guard case .function(let f)? = outcome.value, let prompt = f as? UserFunction else {
            Issue.record("expected a prompt value")
            return
        }
        #expect(prompt.isPrompt)
        #expect(prompt.sourceText == source)
    }

    @Test func assertionFailuresAreCollectedAndExecutionContinues() {
        let (output, outcome) = Self.run("assert(false, \"first\")\nprint(\"after\")\nassert(1 > 2)")
        #expect(output == "after\n")
        #expect(outcome.assertionFailures.map(\.message) == ["assertion failed: first", "assertion failed"])
        #expect(outcome.diagnostics.isEmpty)
    }

    @Test func builtinsCallBackIntoTheLanguage() throws {
        let interpreter = Interpreter()
        let (_, outcome) = Self.run("x => x * 3", in: interpreter)
        guard let f = outcome.value else { return }
        let span = SourceSpan(file: SourceFile(path: "t", text: ""), start: 0, end: 0)
        #expect(try interpreter.runtime.call(f, [.int(5)], at: span) == .int(15))
    }

    @Test func floorDivisionAndModuloAgree() throws {
        let file = SourceFile(path: "t", text: "")
        let span = SourceSpan(file: file, start: 0, end: 0)
        for a in -20...20 {
            for b in [-7, -3, -1, 1, 2, 5] {
                let q = try Operators.binary(.floorDivide, .int(a), .int(b), at: span)
                let r = try Operators.binary(.modulo, .int(a), .int(b), at: span)
                guard case .int(let qi) = q, case .int(let ri) = r else { Issue.record("not ints"); continue }
                #expect(qi * b + ri == a)
                #expect(ri == 0 || (ri < 0) == (b < 0))
                #expect(abs(ri) < abs(b))
            }
        }
    }

    @Test func paramOverridesParseLikeLiterals() throws {
        func value(_ s: String) throws -> Value { try ParamOverride.parse(s).get().value }
        #expect(try value("n=200") == .int(200))
        #expect(try value("t=0.5") == .float(0.5))
        #expect(try value("b=true") == .bool(true))
        #expect(try value("s=smollm2") == .string("smollm2"))
        #expect(try value("s=nan") == .string("nan"))
        #expect(try value("e=") == .string(""))
        #expect((try? ParamOverride.parse("noequals").get()) == nil)
        #expect((try? ParamOverride.parse("9x=1").get()) == nil)
    }

    @Test func checkResolvesWithoutRunning() {
        let box = OutputBox()
        var options = Interpreter.Options()
        options.output = { box.text += $0 }
        let interpreter = Interpreter(options: options)
        let file = SourceFile(path: "check.align", text: "print(\"side effect\")\nfn f(a) = a\nf(1, 2)\nlet z = undefined_name")
        let parsed = Parser.parse(file)
        let problems = interpreter.check(parsed.program)
        #expect(box.text == "")
        #expect(problems.map(\.message) == ["too many arguments to `f`: expected at most 1, got 2", "unknown name `undefined_name`"])
        // Checking leaves no names behind.
        #expect(interpreter.globalNames.isEmpty)
    }

    @Test func unknownNamesSuggestNamesInScope() {
        let (_, outcome) = Self.run("let query = 1\nfn f(limit) = limt + qeury")
        #expect(outcome.diagnostics.map(\.help) == ["did you mean `limit`?", "did you mean `query`?"])
    }
}

/// Collects output from the evaluator thread.
final class OutputBox: @unchecked Sendable {
    var text = ""
}
