import Foundation

/// The encoder's output as every decoder layer's cross-attention keys and values, computed once
/// per source and shared by all sequences decoded from it.
struct Seq2SeqMemory {
    let keys: [[Float]]
    let values: [[Float]]
    let rows: Int

    /// Projects the final encoder states `encoded` (`rows` rows) through each decoder layer's
    /// cross-attention keys and values.
    init(encoded: [Float], rows: Int, crossAttention: [Seq2SeqAttentionWeights]) {
        keys = crossAttention.map { Seq2SeqAttention.project(encoded, rows: rows, $0.key) }
        values = crossAttention.map { Seq2SeqAttention.project(encoded, rows: rows, $0.value) }
        self.rows = rows
    }
}

/// Decoder self-attention keys and values of one layer for one sequence, one row per fed token.
struct Seq2SeqLayerCache {
    var keys: [Float] = []
    var values: [Float] = []
}

/// What BART and T5 supply so that teacher-forced scoring and cached (batched, beam-reordered)
/// decoding are written once.
protocol Seq2SeqStack: AnyObject, Sendable {
    /// "BART", "T5": for messages.
    var familyName: String { get }
    var vocabularySize: Int { get }
    var decoderLayerCount: Int { get }
    var decoderStartToken: Int32 { get }
    /// Decoder inputs the position table covers; nil when positions are relative (T5).
    var decoderPositionLimit: Int? { get }
    /// Refuses an empty, too long or out-of-vocabulary source or target.
    func check(_ ids: [Int32], _ name: String) throws(EngineError)
    func encode(_ source: [Int32]) throws(EngineError) -> Seq2SeqMemory
    /// Final decoder states of `ids` at positions `from…`: `caches[layer]` holds one cache per
    /// sequence, and sequence s owns the `rowsEach` ids at s·rowsEach…; each appends its keys and
    /// values to its own caches.
    func decode(_ ids: [Int32], rowsEach: Int, from start: Int, caches: inout [[Seq2SeqLayerCache]],
                memory: Seq2SeqMemory) -> [Float]
    /// Logits `[rows, vocab]` of final decoder states.
    func head(_ hidden: [Float], rows: Int) -> [Float]
}

extension Seq2SeqStack {
    /// Decoder logits `[target position][vocab]`: position t predicts `target[t]` from the
    /// source and `target[..<t]` (decoder input = start token + target shifted right).
    func teacherForcedLogits(source: [Int32], target: [Int32]) throws(EngineError) -> [[Float]] {
        try check(target, "target")
        let memory = try encode(source)
        var caches = [[Seq2SeqLayerCache]](repeating: [Seq2SeqLayerCache()], count: decoderLayerCount)
        let input = [decoderStartToken] + target.dropLast()
        let out = head(decode(input, rowsEach: input.count, from: 0, caches: &caches, memory: memory), rows: input.count)
        return Self.rows(out, count: input.count, width: vocabularySize)
    }

    /// Encodes `source` and returns a cached decoding of one sequence before the start token.
    func cachedDecoding(source: [Int32]) throws(EngineError) -> any Seq2SeqDecoding {
        Seq2SeqCachedDecoding(stack: self, memory: try encode(source))
    }

    /// Refuses ids outside the vocabulary, naming the `name`d input.
    func checkVocabulary(_ ids: [Int32], _ name: String) throws(EngineError) {
        if let bad = ids.first(where: { $0 < 0 || Int($0) >= vocabularySize }) {
            throw .invalidArgument("token id \(bad) in the \(name) is outside the vocabulary (\(vocabularySize))")
        }
    }

    static func rows(_ flat: [Float], count: Int, width: Int) -> [[Float]] {
        (0..<count).map { Array(flat[($0 * width)..<(($0 + 1) * width)]) }
    }
}

/// A decoding in progress over any `Seq2SeqStack`: every step runs all sequences' new tokens
/// through one decoder pass (shared projections and cross-attention, per-sequence self-attention),
/// and `select` reorders the caches when beams are chosen.
/// Matches: transformers `EncoderDecoderCache.reorder_cache(beam_idx)` (copy rows by beam index).
final class Seq2SeqCachedDecoding<Stack: Seq2SeqStack>: Seq2SeqDecoding {
    let stack: Stack
    let memory: Seq2SeqMemory
    /// `[layer][sequence]`.
    private var caches: [[Seq2SeqLayerCache]]
    private(set) var length = 0
    private(set) var sequences = 1

    init(stack: Stack, memory: Seq2SeqMemory) {
        self.stack = stack
        self.memory = memory
        caches = [[Seq2SeqLayerCache]](repeating: [Seq2SeqLayerCache()], count: stack.decoderLayerCount)
    }

    func advance(_ tokens: [Int32]) throws(EngineError) -> [[Float]] {
        guard tokens.count == sequences else {
            throw .invalidArgument("\(tokens.count) tokens fed to a decoding of \(sequences) sequences")
        }
        if let limit = stack.decoderPositionLimit, length >= limit {
            throw .invalidArgument("\(stack.familyName) decodes at most \(limit) positions (max_position_embeddings)")
        }
        if let bad = tokens.first(where: { $0 < 0 || Int($0) >= stack.vocabularySize }) {
            throw .invalidArgument("token id \(bad) is outside the vocabulary (\(stack.vocabularySize))")
        }
        let hidden = stack.decode(tokens, rowsEach: 1, from: length, caches: &caches, memory: memory)
        length += 1
        return Stack.rows(stack.head(hidden, rows: tokens.count), count: tokens.count, width: stack.vocabularySize)
    }

    func select(_ indices: [Int]) throws(EngineError) {
        guard !indices.isEmpty, indices.allSatisfy({ $0 >= 0 && $0 < sequences }) else {
            throw .invalidArgument("beam indices \(indices) do not name sequences 0..<\(sequences)")
        }
        caches = caches.map { layer in indices.map { layer[$0] } }
        sequences = indices.count
    }
}
