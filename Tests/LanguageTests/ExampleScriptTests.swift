import AlignRuntime
import AlignSyntax
import Foundation
import Testing

/// Every `examples/*.align` runs to completion with its default (small) params, on the real
/// default models — the README's main command is one of them. Each runs in a scratch copy of
/// `examples/` (with `data/` linked beside it) so run folders never land in the source tree.
@Suite(.serialized) struct ExampleScriptTests {
    static let repository: String = {
        let here = "\(#filePath)"
        return String(here[..<(here.range(of: "/Tests/LanguageTests/")?.lowerBound ?? here.endIndex)])
    }()

    static let scripts: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: repository + "/examples")) ?? []
        return names.filter { $0.hasSuffix(".align") }.sorted()
    }()

    @Test func examplesExist() {
        #expect(Self.scripts.contains("quickstart.align"))
    }

    @Test(arguments: scripts) func exampleRuns(_ name: String) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("align-example-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch + "/examples", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: scratch + "/data", withDestinationPath: Self.repository + "/data")
        let path = scratch + "/examples/" + name
        try FileManager.default.copyItem(atPath: Self.repository + "/examples/" + name, toPath: path)

        var options = Interpreter.Options()
        options.scriptDirectory = scratch + "/examples"
        var output = ""
        options.output = { output += $0 }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let outcome = Interpreter(options: options).run(SourceFile(path: path, text: text))
        let rendered = (outcome.diagnostics + outcome.assertionFailures).map { DiagnosticRenderer.plain.render($0) }
        #expect(rendered.isEmpty, "\(name):\n\(rendered.joined(separator: "\n"))")
        #expect(!output.isEmpty, "\(name) printed nothing")
    }
}
