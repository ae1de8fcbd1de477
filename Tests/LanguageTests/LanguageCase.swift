import AlignRuntime
import AlignSyntax
import Foundation
import Testing

/// One `.align` file under `cases/` with the expectations written in its comments
/// (format: README.md beside this file).
struct LanguageCase: Sendable, CustomTestStringConvertible {
    let path: String
    let relativePath: String

    var testDescription: String { relativePath }

    /// Folder holding the case files, found from this source file's location.
    static let root: String = {
        let here = #filePath
        return String(here[..<here.lastIndex(of: "/")!]) + "/cases"
    }()

    /// Every case file, sorted; helper modules (files whose name starts with `_`) are skipped.
    static func all() -> [LanguageCase] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [LanguageCase] = []
        while let rel = walker.nextObject() as? String {
            let name = rel.split(separator: "/").last.map(String.init) ?? rel
            guard rel.hasSuffix(".align"), !name.hasPrefix("_") else { continue }
            found.append(LanguageCase(path: root + "/" + rel, relativePath: rel))
        }
        return found.sorted { $0.relativePath < $1.relativePath }
    }
}

/// What a case file says should happen.
struct Expectations {
    var output: [String] = []
    /// (line, text): a diagnostic whose message contains `text` starting on `line`.
    var errors: [(line: Int, text: String)] = []
    var arguments: [String] = []
    /// Line of `# args:` (diagnostics without a span are matched there).
    var argumentsLine = 0

    init(source: String) {
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let text = Expectations.directive("# expect:", in: line) {
                output.append(text)
                continue
            }
            if let text = Expectations.directive("# args:", in: line) {
                // The arguments end where another comment (such as `# error:`) starts.
                let words = text.split(separator: "#", maxSplits: 1).first ?? ""
                arguments += words.split(separator: " ").map(String.init)
                argumentsLine = index + 1
            }
            if let text = Expectations.directive("# error:", in: line) {
                errors.append((index + 1, text))
            }
        }
    }

    /// The text after `marker` (one optional space dropped), if the line has it.
    private static func directive(_ marker: String, in line: Substring) -> String? {
        guard let r = line.range(of: marker) else { return nil }
        var rest = line[r.upperBound...]
        if rest.first == " " { rest = rest.dropFirst() }
        return String(rest)
    }
}

/// The result of running a case: its output lines and every diagnostic reported.
struct CaseRun {
    var output: [String]
    var diagnostics: [Diagnostic]

    /// Steps allowed per case, so that a broken loop fails the test instead of hanging it.
    static let stepBudget = 50_000_000

    init(_ c: LanguageCase, source: String, arguments: [String]) {
        var text = ""
        var options = Interpreter.Options()
        options.scriptDirectory = String(c.path[..<c.path.lastIndex(of: "/")!])
        options.stepBudget = CaseRun.stepBudget
        options.output = { text += $0 }
        // Run folders go to a fresh scratch folder, so no case resumes an earlier test run.
        let runs = FileManager.default.temporaryDirectory
            .appendingPathComponent("align-case-runs-\(getpid())-\(UInt64.random(in: 0...UInt64.max))").path
        options.runsDirectory = runs
        defer { try? FileManager.default.removeItem(atPath: runs) }
        var problems: [Diagnostic] = []
        for a in arguments {
            switch ParamOverride.parse(a) {
            case .success(let o): options.paramOverrides[o.name] = o.value
            case .failure(let e): problems.append(.error(e.description, at: nil))
            }
        }
        if problems.isEmpty {
            let file = SourceFile(path: c.path, text: source)
            let parsed = Parser.parse(file)
            if parsed.diagnostics.isEmpty {
                let outcome = Interpreter(options: options).run(parsed.program)
                problems = outcome.assertionFailures + outcome.diagnostics
            } else {
                problems = parsed.diagnostics
            }
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        output = lines
        diagnostics = problems
    }
}
