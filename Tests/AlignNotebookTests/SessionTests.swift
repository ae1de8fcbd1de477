@testable import AlignNotebook
import AlignRuntime
import Testing

@Suite struct SessionTests {
    @Test func bareExpressionShowsItsValueAndStatementsShowNothing() {
        let s = TestSession.make()
        let first = s.execute("1 + 2")
        #expect(first.cell.number == 1)
        #expect(first.value == .int(3))
        #expect(TestSession.result(first.cell) == "3")
        let second = s.execute("let x = 10")
        #expect(second.cell.number == 2)
        #expect(second.value == nil)
        #expect(second.cell.outputs.isEmpty)
        #expect(s.execute("x * 2").value == .int(20))
    }

    @Test func underscoreIsTheLastShownValueAndOutIndexesCells() {
        let s = TestSession.make()
        s.execute("40 + 2")               // 1
        s.execute("let y = 1")            // 2: no value
        #expect(s.execute("_ + 1").value == .int(43))   // 3
        s.execute("print(\"x\")")          // 4: null value, `_` stays 43
        #expect(s.execute("_").value == .int(43))       // 5
        #expect(s.execute("out[1]").value == .int(42))
        #expect(s.execute("out[2]").value == .null)
        #expect(s.execute("out[3]").value == .int(43))
        #expect(s.execute("len(out)").value == .int(9))
    }

    @Test func errorsStayInTheCellAndKeepState() {
        let s = TestSession.make()
        s.execute("let n = 5")
        s.execute("n")
        let failed = s.execute("n + nope")
        #expect(!failed.cell.succeeded)
        #expect(failed.diagnostics.count == 1)
        guard case .error(let message, let rendered)? = failed.cell.outputs.last else {
            Issue.record("no error output: \(failed.cell.outputs)")
            return
        }
        #expect(message.contains("nope"))
        // The diagnostic quotes what the user typed, not the `let _ =` the session runs.
        #expect(rendered.contains("n + nope"))
        #expect(!rendered.contains("let _"))
        #expect(rendered.contains("In[3]:1:5"))
        #expect(s.execute("_").value == .int(5))
        #expect(s.execute("n").value == .int(5))
    }

    @Test func aCellWithSeveralSyntaxErrorsShowsTheFirstAndCountsTheRest() {
        let s = TestSession.make()
        let e = s.execute("let = 1\nlet = 2")
        #expect(e.diagnostics.count == 2)
        guard case .error(_, let rendered)? = e.cell.outputs.last else {
            Issue.record("no error output")
            return
        }
        #expect(rendered.contains("In[1]:1:"))
        #expect(rendered.hasSuffix("(1 more error in this cell)"))
    }

    @Test func programOutputIsCapturedAndEchoed() {
        var echoed = ""
        var options = Session.Options()
        options.echo = { echoed += $0 }
        let s = Session(options: options)
        let e = s.execute("print(\"a\")\nprint(\"b\")\n7")
        #expect(TestSession.stdout(e.cell) == "a\nb\n")
        #expect(echoed == "a\nb\n")
        #expect(e.cell.outputs.count == 2)
    }

    @Test func cellsMayRedefineNames() {
        let s = TestSession.make()
        s.execute("let a = 1")
        #expect(s.execute("let a = a + 1").diagnostics.isEmpty)
        #expect(s.execute("a").value == .int(2))
    }

    @Test func incompleteInputIsDetected() {
        #expect(Session.isIncomplete("let xs = [1,"))
        #expect(Session.isIncomplete("fn f(x) {"))
        #expect(Session.isIncomplete("1 +"))
        #expect(!Session.isIncomplete("1 + 2"))
        #expect(!Session.isIncomplete("1 + )"))
    }

    @Test func resetForgetsNamesButKeepsNumbering() {
        let s = TestSession.make()
        s.execute("let a = 1")
        s.execute("a")
        guard case .text = s.runMagic(":reset") else { Issue.record("reset failed"); return }
        let after = s.execute("a")
        #expect(!after.diagnostics.isEmpty)
        #expect(after.cell.number == 3)
        s.execute("5")
        #expect(s.execute("out[4]").value == .int(5))
    }
}
