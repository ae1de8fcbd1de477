import Foundation
import Testing
@testable import AlignMetrics

/// The IMHI keyword rules on the seed's data files, against the fixture script's independent
/// rendering of the seed-reference tables scored by scikit-learn (imhi_rules.json).
struct IMHILabellerTests {
    struct Case: Decodable {
        let file: String
        let dataset: String
        let referenceColumn: String
        let predictionColumn: String
        let predictionKind: String
        let referenceRules: String
        let rows: Int
        let predicted: [String]
        let references: [String]
        let kept: [Int]
        let dropped: [Int]
        let ood: Int
        let sklearn: ClassificationTests.SklearnScores?
    }

    struct File: Decodable {
        let cases: [Case]
    }

    static func labeller(for item: Case) throws -> IMHILabeller {
        let kind: IMHILabeller.PredictionKind = item.predictionKind == "classifierLabel" ? .classifierLabel : .generatedText
        let rules: IMHILabeller.ReferenceRules
        switch item.referenceRules {
        case "generationScript": rules = .generationScript
        case "labelInference": rules = .labelInference
        default: rules = .union
        }
        return IMHILabeller(dataset: try IMHIDataset(fileName: item.dataset), predictionKind: kind, referenceRules: rules)
    }

    static func label(_ item: Case) throws -> IMHILabelling {
        let rows = try SeedCSV.rows(item.file)
        #expect(rows.count == item.rows, "\(item.file) row count")
        return try labeller(for: item).label(
            predictions: rows.map { $0[item.predictionColumn] ?? "" },
            references: rows.map { $0[item.referenceColumn] ?? "" })
    }

    @Test func labellingMatchesReferenceRulesOnSeedFiles() throws {
        let file = try Fixture.load("imhi_rules.json", as: File.self)
        #expect(file.cases.count > 50)
        for item in file.cases {
            let what = "\(item.file) \(item.predictionColumn) \(item.referenceRules)"
            let labelling = try Self.label(item)
            #expect(labelling.predicted == item.predicted, "\(what) predicted")
            #expect(labelling.references == item.references, "\(what) references")
            #expect(labelling.keptIndices == item.kept, "\(what) kept")
            #expect(labelling.droppedIndices == item.dropped, "\(what) dropped")
            #expect(labelling.outOfDomainCount == item.ood, "\(what) OOD")
            if let expected = item.sklearn {
                ClassificationTests.expectMatches(try labelling.report(), expected, what)
            }
        }
    }

    /// The seed's printed numbers (seed-reference A1/A2): ×100, rounded to 2 decimals.
    @Test(arguments: [
        ("data/mentallama/examples/label_data_examples/DR.csv", "labels", IMHILabeller.PredictionKind.classifierLabel,
         IMHILabeller.ReferenceRules.labelInference, [82.86, 80.99, 82.86, 77.56], 0),
        ("data/mentallama/examples/label_data_examples/SAD.csv", "labels", .classifierLabel, .labelInference,
         [80.00, 81.28, 80.00, 70.23], 0),
        ("data/mentallama/examples/response_generation_examples/DR.csv", "generated_text", .generatedText, .generationScript,
         [57.14, 56.23], 24),
        ("data/mentallama/examples/response_generation_examples/Irf.csv", "generated_text", .generatedText, .generationScript,
         [68.57, 66.83], 20),
        ("data/mentallama/examples/response_generation_examples/MultiWD.csv", "generated_text", .generatedText, .generationScript,
         [54.29, 41.00], 29),
        ("data/mentallama/examples/response_generation_examples/dreaddit.csv", "generated_text", .generatedText, .generationScript,
         [65.71, 68.95], 1),
        ("data/mentallama/examples/response_generation_examples/SAD.csv", "generated_text", .generatedText, .union,
         [54.29, 58.10], 8),
    ])
    func seedTestVectors(
        path: String, column: String, kind: IMHILabeller.PredictionKind, rules: IMHILabeller.ReferenceRules,
        expected: [Double], outOfDomain: Int
    ) throws {
        let rows = try SeedCSV.rows(path)
        let dataset = try IMHIDataset(fileName: URL(fileURLWithPath: path).lastPathComponent)
        let labelling = try IMHILabeller(dataset: dataset, predictionKind: kind, referenceRules: rules)
            .label(predictions: rows.map { $0[column] ?? "" }, references: rows.map { $0["goldens"] ?? "" })
        let report = try labelling.report()
        let printed = [report.accuracy, report.weighted.f1, report.micro.f1, report.macro.f1]
            .map { ($0 * 10_000).rounded() / 100 }
        #expect(Array(printed.prefix(expected.count)) == expected)
        #expect(labelling.outOfDomainCount == outOfDomain)
        #expect(labelling.droppedIndices.isEmpty)
    }

    @Test func strictGenerationRulesDropUnmatchedSADReferencesInsteadOfCrashing() throws {
        let rows = try SeedCSV.rows("data/mentallama/examples/response_generation_examples/SAD.csv")
        let labelling = try IMHILabeller(dataset: .sad, referenceRules: .generationScript)
            .label(predictions: rows.map { $0["generated_text"] ?? "" }, references: rows.map { $0["goldens"] ?? "" })
        #expect(!labelling.droppedIndices.isEmpty)
        #expect(labelling.predicted.count == labelling.references.count)
        #expect(labelling.keptIndices.count + labelling.droppedIndices.count == rows.count)
    }

    @Test func rulesReadOnlyTheAnswerBeforeReasoning() throws {
        let labeller = IMHILabeller(dataset: .dr)
        let labelling = try labeller.label(
            predictions: ["Reasoning: yes, clearly", "YES. Reasoning: no", "I know nothing"],
            references: ["Yes, the poster suffers. Reasoning: …", "No.", "no"])
        #expect(labelling.predicted == ["no", "yes", "no"])
        #expect(labelling.outOfDomainCount == 1)
    }

    @Test func everyReferenceUnmatchedIsAnErrorOnlyWhenScoring() throws {
        let labelling = try IMHILabeller(dataset: .cams, referenceRules: .generationScript)
            .label(predictions: ["none"], references: ["This post shows no causes of depression."])
        #expect(labelling.droppedIndices == [0])
        #expect(throws: MetricError.noLabelledPairs(dataset: "CAMS", dropped: 1)) { try labelling.report() }
    }

    @Test func badInputIsAnError() {
        #expect(throws: MetricError.self) { try IMHIDataset(fileName: "depression.csv") }
        #expect(throws: MetricError.lengthMismatch(metric: "imhi_rules", predictionCount: 1, referenceCount: 0)) {
            try IMHILabeller(dataset: .dr).label(predictions: ["yes"], references: [])
        }
        #expect((try? IMHIDataset(fileName: "t-sid.csv")) == .tSID)
        #expect((try? IMHIDataset(fileName: "DR.results.csv")) == .dr)
    }
}
