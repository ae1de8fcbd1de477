import Testing
@testable import AlignMetrics

/// The one-text labeller (`labelPrediction`, `labelReference`) row by row against the fixture
/// script's labels of the seed's files (imhi_rules.json), so `imhi_label` in the language gives
/// the same label a row gets inside `rule_metrics`.
struct IMHILabellerSingleTextTests {
    @Test func eachRowLabelledAloneMatchesTheReferenceLabels() throws {
        let file = try Fixture.load("imhi_rules.json", as: IMHILabellerTests.File.self)
        #expect(file.cases.count > 50)
        for item in file.cases {
            let what = "\(item.file) \(item.predictionColumn) \(item.referenceRules)"
            let rows = try SeedCSV.rows(item.file)
            let labeller = try IMHILabellerTests.labeller(for: item)
            let answers = rows.map { labeller.labelPrediction($0[item.predictionColumn] ?? "") }
            let references = rows.map { labeller.labelReference($0[item.referenceColumn] ?? "") }
            #expect(answers.filter(\.outOfDomain).count == item.ood, "\(what) OOD")
            #expect(references.indices.filter { references[$0] == nil } == item.dropped, "\(what) dropped")
            #expect(item.kept.map { answers[$0].label } == item.predicted, "\(what) predicted")
            #expect(item.kept.compactMap { references[$0] } == item.references, "\(what) references")
        }
    }

    @Test func unmatchedAnswersTakeTheFallbackAndUnreadableReferencesAreNil() {
        let labeller = IMHILabeller(dataset: .dr)
        // Rules are substring matches as in the seed: "I cannot tell" would read as "no" (can-no-t).
        let unmatched = labeller.labelPrediction("Unclear from the post.")
        #expect(unmatched.label == "no" && unmatched.outOfDomain)
        let answered = labeller.labelPrediction("Yes. Reasoning: no")
        #expect(answered.label == "yes" && !answered.outOfDomain)
        #expect(labeller.labelReference("Reasoning: yes") == nil)
        let classifier = IMHILabeller(dataset: .sad, predictionKind: .classifierLabel)
        #expect(classifier.labelPrediction("financial").label == "financial problem")
    }
}
