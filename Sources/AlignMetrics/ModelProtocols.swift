/// What the model-based metrics need from a model, kept to two small protocols so AlignMetrics does
/// not depend on the engine: a local model, a remote endpoint or a test fake can stand behind them.

/// Contextual embeddings of every token of one text, as the encoder produced them (special tokens
/// included, in order).
public struct TokenEmbeddings: Sendable, Equatable {
    /// Vocabulary ids; BERTScore's idf weights are per id.
    public let tokenIDs: [Int]
    /// Whether each token is a special token (`[CLS]`/`[SEP]`, `<s>`/`</s>`): BERTScore gives these
    /// zero weight on their own side.
    public let isSpecial: [Bool]
    /// Row-major `tokenIDs.count × dimension` matrix of embeddings.
    public let vectors: [Float]
    public let dimension: Int

    /// Checks that the three per-token arrays agree; a mismatch is a bug in the adapter, reported
    /// instead of trapped.
    public init(tokenIDs: [Int], isSpecial: [Bool], vectors: [Float], dimension: Int) throws {
        guard dimension > 0 else {
            throw MetricError.invalidModelOutput(metric: "embeddings", item: 0, reason: "dimension must be positive, got \(dimension)")
        }
        let expected = tokenIDs.count.multipliedReportingOverflow(by: dimension)
        guard isSpecial.count == tokenIDs.count, !expected.overflow, vectors.count == expected.partialValue else {
            throw MetricError.invalidModelOutput(
                metric: "embeddings", item: 0,
                reason: "\(tokenIDs.count) token ids, \(isSpecial.count) special flags and \(vectors.count) values do not fit dimension \(dimension)")
        }
        self.tokenIDs = tokenIDs
        self.isSpecial = isSpecial
        self.vectors = vectors
        self.dimension = dimension
    }

    public var count: Int { tokenIDs.count }
}

/// An encoder that gives per-token contextual embeddings (BERTScore's model side: a chosen layer of
/// a BERT/RoBERTa-style model, with the tokenizer's special tokens added).
public protocol TokenEmbedder {
    func embed(_ text: String) throws -> TokenEmbeddings
}

/// A model that scores a target text given a source text, token by token.
///
/// For a sequence-to-sequence model (BARTScore) `source` is the encoder input and `target` the
/// decoder labels; for a causal LM (GPTScore) `source` is the prefix and `target` its continuation.
public protocol SequenceScorer {
    /// Natural-log probability of each scored target token given the source and the target tokens
    /// before it. Which tokens count (e.g. BART's `<s>`/`</s>`) is the adapter's decision and must be
    /// documented there; the metrics average whatever is returned.
    func targetLogProbabilities(source: String, target: String) throws -> [Double]
}
