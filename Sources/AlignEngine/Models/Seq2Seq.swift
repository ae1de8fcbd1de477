import CBLAS
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
/// (once per layer) and the decoder's self-attention cache, which grows by one row per layer
/// for every token fed.
public protocol Seq2SeqDecoding: AnyObject {
    /// Decoder inputs fed so far.
    var length: Int { get }
    /// Feeds the next decoder input and returns the logits for the token after it.
    func advance(_ token: Int32) throws(EngineError) -> [Float]
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
}

/// Multi-head attention on head-interleaved rows (`[rows, heads·headSize]`, head h in columns
/// h·headSize ..< (h+1)·headSize), shared by BART and T5 for full sequences and cached steps.
enum Seq2SeqAttention {
    /// `context = softmax(scale·Q·Kᵀ + bias)·V` for each head. With `causal`, the queries are the
    /// last `rows` of the `keyRows` positions and each sees keys up to its own position.
    /// `bias`, when given, is `[head][row][key]`.
    static func context(queries q: UnsafePointer<Float>, rows: Int, keys k: UnsafePointer<Float>,
                        values v: UnsafePointer<Float>, keyRows: Int, heads: Int, headSize: Int, scale: Float,
                        bias: UnsafePointer<Float>?, causal: Bool, into out: UnsafeMutablePointer<Float>) {
        let width = heads * headSize
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(rows * keyRows, 1))
        defer { scores.deallocate() }
        let first = keyRows - rows
        for head in 0..<heads {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(keyRows), Int32(headSize), scale,
                        q + head * headSize, Int32(width), k + head * headSize, Int32(width), 0, scores, Int32(keyRows))
            if let bias {
                let b = bias + head * rows * keyRows
                for i in 0..<(rows * keyRows) { scores[i] += b[i] }
            }
            for r in 0..<rows {
                let row = scores + r * keyRows
                let visible = causal ? first + r + 1 : keyRows
                var top = -Float.infinity
                for c in 0..<visible { top = max(top, row[c]) }
                var sum: Float = 0
                for c in 0..<visible {
                    row[c] = expf(row[c] - top)
                    sum += row[c]
                }
                let inverse = 1 / sum
                for c in 0..<visible { row[c] *= inverse }
                for c in visible..<keyRows { row[c] = 0 }
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(headSize), Int32(keyRows), 1,
                        scores, Int32(keyRows), v + head * headSize, Int32(width), 0, out + head * headSize, Int32(width))
        }
    }

    /// Calls `body` with a pointer to `values`' storage, or nil.
    static func withOptional(_ values: [Float]?, _ body: (UnsafePointer<Float>?) -> Void) {
        guard let values else { return body(nil) }
        values.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    /// `y = x·Wᵀ + b` into a new array.
    static func project(_ x: UnsafePointer<Float>, rows: Int, _ layer: BertLinear) -> [Float] {
        var y = [Float](repeating: 0, count: rows * layer.outputs)
        y.withUnsafeMutableBufferPointer { y in
            guard let y = y.baseAddress else { return }
            BertMath.linear(x, rows: rows, layer, into: y)
        }
        return y
    }
}

/// Decoder self-attention keys and values of one layer, one row per fed token.
struct Seq2SeqLayerCache {
    var keys: [Float] = []
    var values: [Float] = []
}
