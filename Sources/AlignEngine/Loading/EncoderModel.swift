import Foundation

/// A BERT encoder with its tokenizer: a sentence-transformers embedder when the folder has
/// `modules.json`, a sequence classifier when the checkpoint has a classification head.
public final class EncoderModel: @unchecked Sendable {
    public let encoder: BertModel
    public let tokenizer: any Tokenizer
    public let embedder: SentenceEmbedder?
    public let classifier: BertSequenceClassifier?

    init(encoder: BertModel, tokenizer: any Tokenizer, embedder: SentenceEmbedder?, classifier: BertSequenceClassifier?) {
        self.encoder = encoder
        self.tokenizer = tokenizer
        self.embedder = embedder
        self.classifier = classifier
    }

    /// Ids with `[CLS] … [SEP]`, cut to the encoder's window keeping the final `[SEP]`.
    /// Matches: transformers tokenizers with `truncation=True, max_length=max_position_embeddings`.
    func ids(_ text: String, limit: Int) -> [Int32] {
        let ids = tokenizer.encode(text, addSpecial: true)
        guard ids.count > limit, limit >= 2, let last = ids.last else { return Array(ids.prefix(max(limit, 1))) }
        return Array(ids.prefix(limit - 1)) + [last]
    }

    /// One vector per text: the sentence-transformers pipeline when present, else the mean of
    /// the last layer over all tokens (sentence-transformers' default pooling for a bare encoder).
    public func embed(_ texts: [String]) throws(EngineError) -> [[Float]] {
        if let embedder { return try embedder.embed(texts.map { tokenizer.encode($0, addSpecial: true) }) }
        let batch = texts.map { ids($0, limit: encoder.config.maxPositions) }
        let encoding = try encoder.encode(batch)
        return batch.indices.map { s in
            var v = [Float](repeating: 0, count: encoding.hiddenSize)
            for p in 0..<encoding.lengths[s] {
                for (i, x) in encoding.token(sequence: s, position: p).enumerated() { v[i] += x }
            }
            let n = Float(max(encoding.lengths[s], 1))
            return v.map { $0 / n }
        }
    }

    /// Class labels in logit order; an error for an encoder without a classification head.
    public func labels() throws(EngineError) -> [String] {
        guard let classifier else { throw .unsupported("\(encoder.location) has no classification head") }
        return classifier.labels
    }

    /// Softmax of the classifier's logits for each text, in `labels()` order (computed in Double).
    public func probabilities(_ texts: [String]) throws(EngineError) -> [[Double]] {
        guard let classifier else { throw .unsupported("\(encoder.location) has no classification head") }
        let logits = try classifier.logits(texts.map { ids($0, limit: encoder.config.maxPositions) })
        return logits.map { row in
            let top = Double(row.max() ?? 0)
            let exps = row.map { Foundation.exp(Double($0) - top) }
            let sum = exps.reduce(0, +)
            return exps.map { $0 / sum }
        }
    }

    /// Every token's hidden state at `layer` (default: the last), with ids and whether each id is
    /// a special token — the inputs of BERTScore.
    public func tokenStates(_ text: String, layer: Int? = nil) throws(EngineError) -> (ids: [Int32], special: [Bool], vectors: [Float]) {
        let ids = ids(text, limit: encoder.config.maxPositions)
        let encoding = try encoder.encode([ids], layer: layer)
        let special = tokenizer.specialTokens
        let flags = ids.map { special.control.contains($0) || $0 == special.bos || $0 == special.eos || $0 == special.pad }
        return (ids, flags, Array(encoding.hidden.prefix(ids.count * encoding.hiddenSize)))
    }
}
