import AlignSyntax
import Foundation
import Testing
@testable import AlignRuntime

/// Model built-ins that need no model file: MetaAligner prompt families, argument checks, metrics
/// as values.
struct ModelBuiltinTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// `align`'s built-in templates (used when no `family:` is given) and the stdlib's `prompt`
    /// values render the same bytes for every family.
    @Test func swiftTemplatesEqualTheStdlibPrompts() throws {
        let stdlib = Self.repoRoot + "/stdlib/metaaligner.align"
        let aspects = "A: one; B: two", question = "\n\nHuman: Hi? \n\nAssistant:", answer = "say \"hi\""
        for family in MetaAlignerFamily.allCases {
            var printed = ""
            var options = Interpreter.Options()
            options.output = { printed += $0 }
            let source = """
                import "\(stdlib)" as m
                print(m.\(family.rawValue)("A: one; B: two", "\\n\\nHuman: Hi? \\n\\nAssistant:", "say \\"hi\\""))
                """
            let outcome = Interpreter(options: options).run(SourceFile(path: Self.repoRoot + "/test.align", text: source))
            #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics.map(\.message))")
            #expect(printed == family.prompt(aspects: aspects, question: question, answer: answer) + "\n", "\(family)")
        }
    }

    @Test func familyIsInferredFromTheAlignerNameInTheSeedsOrder() {
        #expect(MetaAlignerFamily.inferred(from: "MetaAligner/MetaAligner-HH-RLHF-1.1B") == .hhRLHF)
        #expect(MetaAlignerFamily.inferred(from: "/models/MetaAligner-UltraFeedback-7B") == .ultraFeedback)
        #expect(MetaAlignerFamily.inferred(from: "MetaAligner/MetaAligner-IMHI-13B") == .imhi)
        #expect(MetaAlignerFamily.inferred(from: "HH-RLHF-and-IMHI") == .hhRLHF)
        #expect(MetaAlignerFamily.inferred(from: "metaaligner-hh-rlhf") == nil)
    }

    @Test func emptyCellsRenderAsPandasNaN() {
        #expect(ModelBuiltins.cellText(.null) == "nan")
        #expect(ModelBuiltins.cellText(.float(.nan)) == "nan")
        #expect(ModelBuiltins.cellText(.string("")) == "")
        #expect(ModelBuiltins.cellText(.int(3)) == "3")
    }

    @Test func unknownMetricSuggestsTheClosestName() throws {
        let failure = try #require(BuiltinHarness.failure("score", [.string("rogue"), .strings(["a"]), .strings(["a"])]))
        #expect(failure.message == "unknown metric 'rogue'")
        #expect(failure.at == "a0")
        #expect(failure.help == "did you mean `rouge`?")
    }

    @Test func metricsAreValuesThatScoreCanTake() throws {
        let rouge = try #require(BuiltinHarness.builtin("rouge"))
        let preds = Value.strings(["the cat sat", "a dog"]), refs = Value.strings(["the cat sat", "a dog barked"])
        let viaScore = try BuiltinHarness.call("score", [.function(rouge), preds, refs])
        let direct = try BuiltinHarness.call("rouge", [preds, refs])
        #expect(viaScore == direct)
        guard case .record(let r) = direct, case .float(let f)? = r["rouge1"] else {
            Issue.record("rouge gives a record with rouge1"); return
        }
        #expect(abs(f - 0.9) < 1e-12)
    }

    @Test func metricInputsMustBeTexts() throws {
        let failure = try #require(BuiltinHarness.failure("bleu", [.list([.string("a"), .list([])]), .strings(["a", "b"])]))
        #expect(failure.message.contains("element 1 is list"))
        #expect(failure.at == "a0")
    }

    @Test func modelArgumentsAreTypeChecked() throws {
        let failure = try #require(BuiltinHarness.failure("generate", [.string("smollm2"), .string("hi")]))
        #expect(failure.message == "expected a model (from `model(id)`) for `model`, found string")
        #expect(failure.at == "a0")
    }
}
