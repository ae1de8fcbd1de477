import AlignSyntax
import Foundation
import Testing
@testable import AlignRuntime

/// `generate`, `logprob` and `tokens` on BART and T5 models from a script, against the transformers
/// references of `scripts/fixtures/seq2seq_tiny.py` (tiny checkpoints with tokenizers).
struct Seq2SeqBuiltinTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("AlignEngineTests/Fixtures").path

    static func run(_ script: String) -> (printed: String, errors: [String]) {
        var printed = ""
        var options = Interpreter.Options()
        options.output = { printed += $0 }
        let outcome = Interpreter(options: options).run(SourceFile(path: fixtures + "/test.align", text: script))
        return (printed, outcome.diagnostics.map(\.message))
    }

    @Test(arguments: ["bart", "t5"])
    func generateAndLogprobMatchTransformers(family: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/\(family)/lm_reference.json"))
        let reference = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entry = try #require((reference["cases"] as? [[String: Any]])?.first)
        let source = try #require(entry["source"] as? String), target = try #require(entry["target"] as? String)
        let folder = Self.fixtures + "/\(family)/lm"
        let (printed, errors) = Self.run("""
            let m = model("\(folder)")
            print(generate(m, "\(source)", max_tokens: 16, beams: 1))
            print(len(generate(m, ["\(source)", "\(target)"], max_tokens: 4)))
            let s = logprob(m, "\(source)", "\(target)")
            print(s.total)
            print(len(s.tokens))
            print(tokens(m, "\(source)"))
            """)
        #expect(errors.isEmpty, "\(errors)")
        let lines = printed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count >= 5)
        guard lines.count >= 5 else { return }
        #expect(lines[0] == entry["greedy_text"] as? String)
        #expect(lines[1] == "2")
        let expected = (entry["target_log_likelihoods"] as? [Double]) ?? []
        let total = Double(lines[2]) ?? .nan
        #expect(abs(total - expected.reduce(0, +)) <= 1e-4 * max(1, abs(total)), "\(lines[2])")
        #expect(lines[3] == String(expected.count))
        let ids = ((entry["source_ids"] as? [Int]) ?? []).map(String.init).joined(separator: ", ")
        #expect(lines[4] == "[\(ids)]")
    }

    /// Ctrl-C in the REPL requests an interruption; engine work under a built-in stops at its next
    /// decoding step and the call reports "interrupted".
    @Test func generationStopsWhenInterrupted() throws {
        let services = RecordingServices()
        let m = try BuiltinHarness.call("model", [.string("\(Self.fixtures)/t5/lm")], services: services)
        #expect(BuiltinHarness.failure("generate", [m, .string("a first prompt")], services: services) == nil)
        services.interruption.request()
        let failure = BuiltinHarness.failure("generate", [m, .string("a second prompt")], services: services)
        #expect(failure?.message == "interrupted")
        #expect(failure?.at == "f(a0, a1)")
    }

    @Test func chatOnASeq2SeqModelIsAnError() {
        let (_, errors) = Self.run("""
            chat(model("\(Self.fixtures)/t5/lm"), "hi")
            """)
        #expect(errors.first?.contains("seq2seq LM") == true, "\(errors)")
    }
}
