import AlignSyntax
import Foundation
import Testing
@testable import AlignRuntime

/// `imhi.classify_outputs` (label_inference.py) with a folder of tiny random per-dataset
/// classifiers: the labels it writes and the scores it returns equal transformers' arg-max labels
/// and scikit-learn's scores of them (imhi_classify.json, from `scripts/fixtures/imhi_classifiers.py`).
struct IMHIClassifyTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let fixtures = repoRoot + "/Tests/AlignRuntimeTests/Fixtures/metrics"

    static func run(_ source: String) -> Interpreter.Outcome {
        var options = Interpreter.Options()
        options.output = { _ in }
        return Interpreter(options: options).run(SourceFile(path: repoRoot + "/test.align", text: source))
    }

    static func column(_ table: Table, _ name: String) -> [Value] {
        table.columnNames.firstIndex(of: name).map { table.columns[$0] } ?? []
    }

    @Test func classifyOutputsMatchesTransformersAndScikitLearn() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/imhi_classify.json"))
        let fixture = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let expected = fixture["datasets"] as? [String: [String: Any]] ?? [:]
        #expect(expected.count == 5)
        let out = NSTemporaryDirectory() + "align-imhi-classify-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let outcome = Self.run("""
            import "\(Self.repoRoot)/stdlib/imhi.align" as imhi
            imhi.classify_outputs("\(Self.fixtures)/imhi_classifiers", "\(Self.repoRoot)/\(fixture["data"] as? String ?? "")", "\(out)")
            """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics.map(\.message))")
        guard case .table(let table)? = outcome.value else {
            Issue.record("classify_outputs returned \(String(describing: outcome.value))")
            return
        }
        let datasets = Self.column(table, "dataset").map(\.displayString)
        #expect(Set(datasets) == Set(expected.keys))
        for (row, name) in datasets.enumerated() {
            guard let want = expected[name], let sklearn = want["sklearn"] as? [String: Any] else { continue }
            let written = Self.run("read(\"\(out)/\(name).csv\").labels")
            guard case .list(let labels)? = written.value else {
                Issue.record("\(name): no labels column written")
                continue
            }
            #expect(labels.map(\.displayString) == want["labels"] as? [String], "\(name) labels")
            func number(_ column: String) -> Double {
                if case .float(let x) = Self.column(table, column)[row] { return x }
                return .nan
            }
            let weighted = (sklearn["weighted"] as? [Double])?.last ?? .nan
            let macro = (sklearn["macro"] as? [Double])?.last ?? .nan
            #expect(abs(number("accuracy") - (sklearn["accuracy"] as? Double ?? .nan)) < 1e-9, "\(name) accuracy")
            #expect(abs(number("weighted_f1") - weighted) < 1e-9, "\(name) weighted F1")
            #expect(abs(number("macro_f1") - macro) < 1e-9, "\(name) macro F1")
            #expect(Self.column(table, "ood")[row] == .int(want["ood"] as? Int ?? -1), "\(name) OOD")
            #expect(Self.column(table, "dropped")[row] == .int((want["dropped"] as? [Int])?.count ?? -1), "\(name) dropped")
        }
    }
}
