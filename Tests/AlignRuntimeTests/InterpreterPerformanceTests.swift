import AlignSyntax
import Testing
@testable import AlignRuntime

/// Complexity checks (not timings): appending in a loop must not copy the list each time.
@Suite struct InterpreterPerformanceTests {
    @Test func appendingInALoopDoesNotCopy() {
        // With copying, 200,000 appends would move ~2·10^10 values; in place it is instant.
        let source = """
        var xs = []
        for i in range(200000) { xs += [i] }
        var r = {items: []}
        for i in range(50000) { r.items += [i] }
        [len(xs), len(r.items)]
        """
        var options = Interpreter.Options()
        options.stepBudget = 1_000_000
        let outcome = Interpreter(options: options).run(SourceFile(path: "append.align", text: source))
        #expect(outcome.diagnostics.isEmpty)
        #expect(outcome.value == .list([.int(200_000), .int(50_000)]))
    }
}
