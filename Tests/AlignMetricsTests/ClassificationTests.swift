import Testing
@testable import AlignMetrics

/// Accuracy and F1 averages against scikit-learn 1.9.1 (classification.json).
struct ClassificationTests {
    struct SklearnScores: Decodable {
        let accuracy: Double
        let micro: [Double]
        let macro: [Double]
        let weighted: [Double]
        let labels: [String]
        let perLabel: [[Double]]
        let supports: [Int]
    }

    struct Case: Decodable {
        let name: String
        let `true`: [String]
        let predicted: [String]
        let sklearn: SklearnScores
    }

    struct File: Decodable {
        let cases: [Case]
    }

    static func values(_ scores: PrecisionRecallF1) -> [Double] {
        [scores.precision, scores.recall, scores.f1]
    }

    /// Compares a whole report with sklearn's numbers; shared with the IMHI tests.
    static func expectMatches(_ report: ClassificationReport<String>, _ expected: SklearnScores, _ what: String) {
        #expect(report.labels == expected.labels, "\(what) labels")
        #expect(report.supports == expected.supports, "\(what) supports")
        Fixture.expectClose(report.accuracy, expected.accuracy, "\(what) accuracy")
        Fixture.expectClose(values(report.micro), expected.micro, "\(what) micro")
        Fixture.expectClose(values(report.macro), expected.macro, "\(what) macro")
        Fixture.expectClose(values(report.weighted), expected.weighted, "\(what) weighted")
        for (index, (scores, reference)) in zip(report.perLabel, expected.perLabel).enumerated() {
            Fixture.expectClose(values(scores), reference, "\(what) label \(index)")
        }
    }

    @Test func reportMatchesSklearn() throws {
        let file = try Fixture.load("classification.json", as: File.self)
        #expect(file.cases.count >= 10)
        for item in file.cases {
            let report = try Classification.report(trueLabels: item.true, predicted: item.predicted)
            Self.expectMatches(report, item.sklearn, item.name)
        }
    }

    @Test func shortcutsAgreeWithTheReport() throws {
        let truth = ["a", "b", "b", "c"], guess = ["a", "b", "c", "c"]
        let report = try Classification.report(trueLabels: truth, predicted: guess)
        #expect(try Classification.accuracy(trueLabels: truth, predicted: guess) == report.accuracy)
        #expect(try Classification.weightedF1(trueLabels: truth, predicted: guess) == report.weighted.f1)
        #expect(try Classification.microF1(trueLabels: truth, predicted: guess) == report.micro.f1)
        #expect(try Classification.macroF1(trueLabels: truth, predicted: guess) == report.macro.f1)
    }

    @Test func integerLabelsWork() throws {
        let report = try Classification.report(trueLabels: [0, 1, 1, 2], predicted: [0, 1, 2, 2])
        #expect(report.labels == [0, 1, 2])
        #expect(report.accuracy == 0.75)
    }

    @Test func badShapesAreErrors() {
        #expect(throws: MetricError.emptyInput(metric: "classification")) {
            try Classification.report(trueLabels: [String](), predicted: [])
        }
        #expect(throws: MetricError.lengthMismatch(metric: "classification", predictionCount: 1, referenceCount: 2)) {
            try Classification.accuracy(trueLabels: ["a", "b"], predicted: ["a"])
        }
    }
}
