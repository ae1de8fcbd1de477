import Foundation

/// What generation needs to know about an encoder-decoder's decoder: where decoding starts,
/// which token ends it, the tokens the config forces, and how far the positions reach.
/// Matches: transformers `GenerationConfig` fields `decoder_start_token_id`, `eos_token_id`,
/// `forced_bos_token_id`, `forced_eos_token_id`.
public struct Seq2SeqDecoderSettings: Sendable, Equatable {
    public var vocabularySize: Int
    public var startToken: Int32
    public var endTokens: Set<Int32>
    /// Forced as the first generated token (`ForcedBOSTokenLogitsProcessor`).
    public var forcedFirstToken: Int32?
    /// Forced as the last token allowed by the length limit (`ForcedEOSTokenLogitsProcessor`).
    public var forcedLastToken: Int32?
    /// Decoder inputs the position table covers (start token included); nil when unbounded (T5).
    public var maxDecoderLength: Int?
    /// The end token is banned while fewer decoder inputs than this (start token included) exist
    /// (`min_length`, `MinLengthLogitsProcessor`).
    public var minLength: Int = 0
    /// No n-gram of this size occurs twice in the decoder inputs (`no_repeat_ngram_size`, 0 = off).
    public var noRepeatNgramSize: Int = 0
}

/// One decoding in progress: the encoder's output turned into cross-attention keys and values
/// (once per layer) and, per sequence decoded side by side (one for greedy and sampled decoding,
/// one per beam in beam search), the decoder's self-attention cache, which grows by one row per
/// layer for every token fed.
public protocol Seq2SeqDecoding: AnyObject {
    /// Decoder inputs fed so far (each sequence has the same number).
    var length: Int { get }
    /// Sequences decoded side by side.
    var sequences: Int { get }
    /// Feeds the next decoder input of every sequence (one token each, through one decoder pass)
    /// and returns each sequence's logits for the token after it.
    func advance(_ tokens: [Int32]) throws(EngineError) -> [[Float]]
    /// Continues with the sequences at `indices` (repeats allowed): the caches are reordered and
    /// copied as beam search selects beams.
    func select(_ indices: [Int]) throws(EngineError)
}

extension Seq2SeqDecoding {
    /// Feeds the next decoder input of a single sequence and returns the logits after it.
    public func advance(_ token: Int32) throws(EngineError) -> [Float] {
        guard sequences == 1 else { throw .invalidArgument("this decoding runs \(sequences) sequences; feed one token each") }
        return try advance([token]).first ?? []
    }
}

/// An encoder-decoder network (BART, T5): teacher-forced scoring, and incremental decoding for
/// generation.
public protocol Seq2SeqNetwork: AnyObject, Sendable {
    var decoderSettings: Seq2SeqDecoderSettings { get }
    /// Runs the encoder over `source` and returns a decoding positioned before the start token.
    func startDecoding(source: [Int32]) throws(EngineError) -> any Seq2SeqDecoding
    /// Decoder logits `[target position][vocab]` under teacher forcing.
    func logits(source: [Int32], target: [Int32]) throws(EngineError) -> [[Float]]
}

extension Seq2SeqNetwork {
    /// log p(target | source) per target token, the softmax taken in f64 over f32 logits.
    /// Matches: `log_softmax(logits)[t, target[t]]`, what BARTScore sums.
    public func logProbability(source: [Int32], target: [Int32]) throws(EngineError) -> LogProbability {
        let rows = try logits(source: source, target: target)
        var scores: [Double] = []
        for (row, token) in zip(rows, target) {
            let top = Double(row.max() ?? 0)
            var sum = 0.0
            for x in row { sum += exp(Double(x) - top) }
            scores.append(Double(row[Int(token)]) - top - log(sum))
        }
        let total = scores.reduce(0, +)
        return LogProbability(total: total, mean: total / Double(max(scores.count, 1)), tokens: scores)
    }

    /// log p(target[t] | source, target[..<t]) for every target token (BARTScore averages these).
    public func tokenLogLikelihoods(source: [Int32], target: [Int32]) throws(EngineError) -> [Float] {
        try logProbability(source: source, target: target).tokens.map(Float.init)
    }
}
