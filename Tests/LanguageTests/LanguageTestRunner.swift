import AlignSyntax
import Foundation
import Testing

/// Runs every `cases/**/*.align` file and checks its `# expect:` output lines and `# error:`
/// diagnostics (see README.md).
@Test("language case", arguments: LanguageCase.all())
func languageCase(_ c: LanguageCase) throws {
    let source = try String(contentsOfFile: c.path, encoding: .utf8)
    let expected = Expectations(source: source)
    let run = CaseRun(c, source: source, arguments: expected.arguments)

    #expect(run.output == expected.output, "output of \(c.relativePath)")

    var unmatched = run.diagnostics
    for (line, text) in expected.errors {
        let index = unmatched.firstIndex { d in
            let at = d.span.map { $0.file.location(of: $0.start).line } ?? expected.argumentsLine
            // An empty `# error:` accepts any message (`String.contains("")` is false).
            return at == line && (text.isEmpty || d.message.contains(text))
        }
        if let index {
            unmatched.remove(at: index)
        } else {
            Issue.record("\(c.relativePath):\(line): expected an error containing `\(text)`; got: \(describe(run.diagnostics))")
        }
    }
    for d in unmatched {
        Issue.record("\(c.relativePath): unexpected \(describe([d]))")
    }
}

@Test func thereAreCases() {
    #expect(LanguageCase.all().count >= 150)
}

private func describe(_ diagnostics: [Diagnostic]) -> String {
    if diagnostics.isEmpty { return "no diagnostics" }
    return diagnostics.map { "[\($0.span?.description ?? "-"): \($0.message)]" }.joined(separator: " ")
}
