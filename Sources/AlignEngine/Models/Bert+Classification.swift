import Foundation

/// A BERT classifier: the pooled first token through a linear head (the seed's MentalBERT
/// label classifiers).
///
/// Matches: transformers `BertForSequenceClassification` in eval mode (pooler = tanh(dense(h[CLS])),
/// logits = classifier(pooled); dropout is the identity).
public final class BertSequenceClassifier: @unchecked Sendable {
    public let encoder: BertModel
    let pooler: BertLinear
    let classifier: BertLinear

    /// Class names by logit index, from `id2label` (`LABEL_i` when the config has none).
    public var labels: [String] {
        encoder.config.labels.isEmpty ? (0..<classifier.outputs).map { "LABEL_\($0)" } : encoder.config.labels
    }

    public convenience init(folder: String) throws(EngineError) {
        try self.init(encoder: BertModel(folder: folder))
    }

    public init(encoder: BertModel) throws(EngineError) {
        guard let pooler = encoder.pooler else {
            throw .file(encoder.location, "no `pooler.dense` weights; not a sequence-classification checkpoint")
        }
        let storedLabels = encoder.weights.store.tensors["classifier.weight"]?.shape.first ?? 0
        let count = encoder.config.labels.isEmpty ? storedLabels : encoder.config.labels.count
        guard count > 0 else { throw .file(encoder.location, "missing tensor 'classifier.weight'") }
        self.encoder = encoder
        self.pooler = pooler
        self.classifier = try encoder.weights.linear("classifier", out: count, in: encoder.config.hiddenSize, prefixed: false)
    }

    /// Logits `[sequence][label]` for already tokenized sequences.
    public func logits(_ ids: [[Int32]], tokenTypes: [[Int32]]? = nil) throws(EngineError) -> [[Float]] {
        let encoding = try encoder.encode(ids, tokenTypes: tokenTypes)
        let h = encoder.config.hiddenSize
        var first = [Float](repeating: 0, count: ids.count * h)
        for s in ids.indices {
            let row = encoding.token(sequence: s, position: 0)
            first.replaceSubrange((s * h)..<((s + 1) * h), with: row)
        }
        var pooled = [Float](repeating: 0, count: ids.count * h)
        var logits = [Float](repeating: 0, count: ids.count * classifier.outputs)
        first.withUnsafeBufferPointer { x in
            pooled.withUnsafeMutableBufferPointer { p in
                guard let x = x.baseAddress, let p = p.baseAddress else { return }
                BertMath.linear(x, rows: ids.count, pooler, into: p)
                for i in 0..<(ids.count * h) { p[i] = tanhf(p[i]) }
            }
        }
        pooled.withUnsafeBufferPointer { p in
            logits.withUnsafeMutableBufferPointer { y in
                guard let p = p.baseAddress, let y = y.baseAddress else { return }
                BertMath.linear(p, rows: ids.count, classifier, into: y)
            }
        }
        let width = classifier.outputs
        return ids.indices.map { Array(logits[($0 * width)..<(($0 + 1) * width)]) }
    }

    /// The arg-max label of each sequence (no softmax or threshold, as the seed's classifier step).
    public func classify(_ ids: [[Int32]]) throws(EngineError) -> [String] {
        let names = labels
        return try logits(ids).map { row in
            let best = row.indices.max { row[$0] < row[$1] } ?? 0
            return best < names.count ? names[best] : "LABEL_\(best)"
        }
    }
}
