import Foundation
import Testing
@testable import AlignEngine

/// Tiny BertForSequenceClassification checkpoints from `scripts/fixtures/bert_tiny.py`.
@Suite struct BertTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/bert").path

    static func reference() throws -> HFJSON { try HFJSON.read(path: root + "/reference.json") }

    static func ids() throws -> [[Int32]] {
        try reference()["input_ids"]?.arrayValue?.map { $0.arrayValue?.compactMap { $0.intValue.map(Int32.init) } ?? [] } ?? []
    }

    static func matrix(_ value: HFJSON?) -> [[Float]] {
        value?.arrayValue?.map { $0.arrayValue?.compactMap { $0.doubleValue.map(Float.init) } ?? [] } ?? []
    }

    /// Largest |a - b| / max(|b|, floor) over all elements.
    static func relativeError(_ a: [[Float]], _ b: [[Float]], floor: Float = 1e-2) -> Float {
        guard a.count == b.count else { return .infinity }
        var worst: Float = 0
        for (ra, rb) in zip(a, b) {
            guard ra.count == rb.count else { return .infinity }
            for (x, y) in zip(ra, rb) { worst = max(worst, abs(x - y) / max(abs(y), floor)) }
        }
        return worst
    }

    @Test(arguments: [("dr", 2), ("cams", 6), ("sad", 9)])
    func logitsMatchTransformers(name: String, labelCount: Int) throws {
        let classifier = try BertSequenceClassifier(folder: Self.root + "/" + name)
        #expect(classifier.labels.count == labelCount)
        let expected = Self.matrix(try Self.reference()[name]?["logits"])
        let logits = try classifier.logits(try Self.ids())
        #expect(expected.count == 6 && expected.allSatisfy { $0.count == labelCount })
        let error = Self.relativeError(logits, expected)
        #expect(error <= 1e-4, "relative error \(error)")
        let labels = try Self.reference()[name]?["labels"]?.arrayValue?.compactMap(\.stringValue)
        #expect(try classifier.classify(try Self.ids()) == labels)
    }

    @Test func seedLabelMapsComeFromConfig() throws {
        #expect(try BertSequenceClassifier(folder: Self.root + "/cams").labels
                == ["none", "bias", "job", "medication", "relation", "alienation"])
        #expect(try BertSequenceClassifier(folder: Self.root + "/sad").labels.last == "other")
    }

    @Test func everyLayersHiddenStates() throws {
        let model = try BertModel(folder: Self.root + "/dr")
        let ids = try Self.ids()
        guard let layers = try Self.reference()["dr"]?["hidden_states"]?.arrayValue else { Issue.record("no reference"); return }
        #expect(layers.count == 3)
        for (k, perSequence) in layers.enumerated() {
            let encoding = try model.encode(ids, layer: k)
            for (s, entry) in (perSequence.arrayValue ?? []).enumerated() {
                let first = Self.matrix(.array([entry["first"] ?? .null]))
                let last = Self.matrix(.array([entry["last"] ?? .null]))
                let error = max(Self.relativeError([Array(encoding.token(sequence: s, position: 0))], first),
                                Self.relativeError([Array(encoding.token(sequence: s, position: ids[s].count - 1))], last))
                #expect(error <= 1e-4, "layer \(k) sequence \(s): \(error)")
            }
        }
    }

    /// max |a - b| / max |b|: rounding noise of a differently blocked GEMM, not a logic change.
    static func normalizedError(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
        let scale = b.map(abs).max() ?? 0
        return zip(a, b).map { abs($0 - $1) }.max().map { $0 / max(scale, 1e-6) } ?? .infinity
    }

    /// OpenBLAS picks GEMM kernels by shape, so rows match across batch shapes to rounding only.
    @Test func paddingWithAMaskAndBatchCompositionChangeOnlyRounding() throws {
        let model = try BertModel(folder: Self.root + "/dr")
        let ids = try Self.ids()
        let longest = ids.map(\.count).max() ?? 0
        let padded = ids.map { $0 + [Int32](repeating: 0, count: longest - $0.count) }
        let mask = ids.map { [Int32](repeating: 1, count: $0.count) + [Int32](repeating: 0, count: longest - $0.count) }
        let packed = try model.encode(ids)
        let masked = try model.encode(padded, attentionMask: mask)
        for s in ids.indices {
            let alone = try model.encode([ids[s]])
            for p in ids[s].indices {
                let reference = packed.token(sequence: s, position: p)
                #expect(Self.normalizedError(masked.token(sequence: s, position: p), reference) <= 1e-5)
                #expect(Self.normalizedError(alone.token(sequence: 0, position: p), reference) <= 1e-5)
            }
        }
    }

    @Test func badInputsAreErrors() throws {
        let model = try BertModel(folder: Self.root + "/dr")
        #expect(errorText { _ = try model.encode([[2, 100_000, 3]]) }.contains("outside the vocabulary"))
        #expect(errorText { _ = try model.encode([[2, -1, 3]]) }.contains("outside the vocabulary"))
        #expect(errorText { _ = try model.encode([[]]) }.contains("empty"))
        #expect(errorText { _ = try model.encode([[Int32](repeating: 2, count: 65)]) }.contains("at most 64"))
        #expect(errorText { _ = try model.encode([[2, 3]], tokenTypes: [[0, 5]]) }.contains("token type 5"))
        #expect(errorText { _ = try model.encode([[2, 3]], attentionMask: [[1]]) }.contains("attention mask"))
        #expect(errorText { _ = try model.encode([[2, 3]], layer: 3) }.contains("layer 3"))
    }

    @Test func weightsThatDoNotFitTheConfig() throws {
        let dir = try TemporaryFolder()
        try FileManager.default.copyItem(atPath: Self.root + "/sad/config.json", toPath: dir.path + "/config.json")
        try FileManager.default.copyItem(atPath: Self.root + "/dr/model.safetensors", toPath: dir.path + "/model.safetensors")
        let message = errorText { _ = try BertSequenceClassifier(folder: dir.path) }
        #expect(message.contains("'classifier.weight' has shape [2, 32], expected [9, 32]"), "\(message)")
    }
}

@Suite struct BertMathTests {
    /// The vectorisable erf against libm's `erff` over the range GELU sees, odd points included.
    @Test func fastErfMatchesLibm() {
        var worst: Float = 0
        for i in -60_001...60_001 {
            let x = Float(i) * 1.37e-4
            worst = max(worst, abs(BertMath.erf(x) - erff(x)))
        }
        #expect(worst <= 5e-7, "max |erf - erff| = \(worst)")
        #expect(BertMath.erf(1e6) == 1 || abs(BertMath.erf(1e6) - 1) <= 1e-6)
        #expect(BertMath.erf(-.greatestFiniteMagnitude) <= -0.999999)
    }
}
