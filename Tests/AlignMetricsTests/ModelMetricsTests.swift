import Testing
@testable import AlignMetrics

/// BERTScore against bert_score 0.3.13's `get_idf_dict` and `greedy_cos_idf` on fixed fake
/// embeddings (bertscore.json); BARTScore and GPTScore against a fake scorer's known log-probs.
struct ModelMetricsTests {
    struct Sentence: Decodable {
        let text: String
        let ids: [Int]
        let special: [Bool]
        let vectors: [[Double]]
    }

    struct Pair: Decodable {
        let prediction: Sentence
        let reference: Sentence
    }

    struct File: Decodable {
        let dimension: Int
        let pairs: [Pair]
        let plain: [[Double]]
        let idf: [[Double]]
        let baseline: [Double]
        let rescaled: [[Double]]
    }

    /// An in-memory encoder that returns the fixture's embeddings for each fixture text.
    struct FixtureEmbedder: TokenEmbedder {
        let embeddings: [String: TokenEmbeddings]

        init(_ file: File) throws {
            var table: [String: TokenEmbeddings] = [:]
            for sentence in file.pairs.flatMap({ [$0.prediction, $0.reference] }) {
                table[sentence.text] = try TokenEmbeddings(
                    tokenIDs: sentence.ids, isSpecial: sentence.special,
                    vectors: sentence.vectors.flatMap { $0.map(Float.init) }, dimension: file.dimension)
            }
            embeddings = table
        }

        func embed(_ text: String) throws -> TokenEmbeddings {
            guard let found = embeddings[text] else {
                throw MetricError.invalidModelOutput(metric: "fixture", item: 0, reason: "unknown text \(text)")
            }
            return found
        }
    }

    static func values(_ triple: BERTScoreTriple) -> [Double] {
        [triple.precision, triple.recall, triple.f1]
    }

    @Test(arguments: [false, true])
    func bertScoreMatchesGreedyCosIdf(idf: Bool) throws {
        let file = try Fixture.load("bertscore.json", as: File.self)
        let result = try BERTScore.score(
            predictions: file.pairs.map(\.prediction.text), references: file.pairs.map(\.reference.text),
            embedder: FixtureEmbedder(file), idf: idf)
        let expected = idf ? file.idf : file.plain
        #expect(result.pairs.count == expected.count)
        for (index, (triple, reference)) in zip(result.pairs, expected).enumerated() {
            Fixture.expectClose(Self.values(triple), reference, "pair \(index) idf=\(idf)")
        }
        let meanF1 = expected.map { $0[2] }.reduce(0, +) / Double(expected.count)
        Fixture.expectClose(result.mean.f1, meanF1, "mean F1")
    }

    @Test func bertScoreBaselineRescaling() throws {
        let file = try Fixture.load("bertscore.json", as: File.self)
        let baseline = BERTScoreTriple(precision: file.baseline[0], recall: file.baseline[1], f1: file.baseline[2])
        let result = try BERTScore.score(
            predictions: file.pairs.map(\.prediction.text), references: file.pairs.map(\.reference.text),
            embedder: FixtureEmbedder(file), baseline: baseline)
        for (index, (triple, reference)) in zip(result.pairs, file.rescaled).enumerated() {
            Fixture.expectClose(Self.values(triple), reference, "rescaled pair \(index)")
        }
    }

    @Test func bertScoreRejectsBadEmbeddings() throws {
        #expect(throws: MetricError.self) {
            try TokenEmbeddings(tokenIDs: [1, 2], isSpecial: [true], vectors: [0, 0], dimension: 1)
        }
        #expect(throws: MetricError.self) {
            try TokenEmbeddings(tokenIDs: [1, 2], isSpecial: [true, true], vectors: [], dimension: Int.max)
        }
        let zero = try TokenEmbeddings(tokenIDs: [1, 5, 2], isSpecial: [true, false, true], vectors: [1, 0, 1], dimension: 1)
        let fine = try TokenEmbeddings(tokenIDs: [1, 5, 2], isSpecial: [true, false, true], vectors: [1, 1, 1], dimension: 1)
        let wide = try TokenEmbeddings(tokenIDs: [1, 2], isSpecial: [true, true], vectors: [1, 1, 1, 1], dimension: 2)
        #expect(throws: MetricError.self) { try BERTScore.score(predictions: [zero], references: [fine]) }
        #expect(throws: MetricError.self) { try BERTScore.score(predictions: [wide], references: [fine]) }
        #expect(throws: MetricError.emptyInput(metric: "bertscore")) {
            try BERTScore.score(predictions: [TokenEmbeddings](), references: [])
        }
    }

    /// A scorer whose log-probabilities are a fixed function of (source, target), recording calls.
    final class TableScorer: SequenceScorer {
        let table: [String: [Double]]
        private(set) var calls: [String] = []

        init(_ table: [String: [Double]]) {
            self.table = table
        }

        func targetLogProbabilities(source: String, target: String) throws -> [Double] {
            calls.append("\(source)→\(target)")
            return table["\(source)→\(target)"] ?? []
        }
    }

    @Test func bartScoreIsReferenceGivenPrediction() throws {
        let scorer = TableScorer(["p1→r1": [-1, -2, -3], "p2→r2": [-0.5]])
        let result = try BARTScore.score(predictions: ["p1", "p2"], references: ["r1", "r2"], scorer: scorer)
        #expect(scorer.calls == ["p1→r1", "p2→r2"])
        #expect(result.pairs == [-2, -0.5])
        #expect(result.mean == -1.25)
    }

    @Test func gptScoreIsReferenceGivenPredictionLikeBARTScore() throws {
        let scorer = TableScorer(["p1→r1": [-4, -2], "p2→r2": [-1, -1, -1, -1]])
        let result = try GPTScore.score(predictions: ["p1", "p2"], references: ["r1", "r2"], scorer: scorer)
        #expect(scorer.calls == ["p1→r1", "p2→r2"])
        #expect(result.pairs == [-3, -1])
        #expect(result.mean == -2)
    }

    @Test func likelihoodScoresRejectBadScorerOutput() {
        #expect(throws: MetricError.invalidModelOutput(metric: "bartscore", item: 0, reason: "the scorer returned no target tokens")) {
            try BARTScore.score(predictions: ["p"], references: ["r"], scorer: TableScorer([:]))
        }
        #expect(throws: MetricError.self) {
            try GPTScore.score(predictions: ["p"], references: ["r"], scorer: TableScorer(["p→r": [0.5]]))
        }
        #expect(throws: MetricError.self) {
            try GPTScore.score(predictions: ["p"], references: ["r"], scorer: TableScorer(["p→r": [.nan]]))
        }
        #expect(throws: MetricError.lengthMismatch(metric: "gptscore", predictionCount: 1, referenceCount: 0)) {
            try GPTScore.score(predictions: ["p"], references: [], scorer: TableScorer([:]))
        }
    }
}
