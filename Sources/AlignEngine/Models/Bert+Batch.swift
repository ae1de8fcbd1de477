import CKernels

/// The encoder's output: hidden states of every token, packed sequence after sequence.
public struct BertEncoding: Sendable {
    public let hiddenSize: Int
    public let lengths: [Int]
    /// Row index of each sequence's first token in `hidden`.
    public let offsets: [Int]
    /// `[total tokens, hiddenSize]`, row-major.
    public let hidden: [Float]

    /// The hidden state of one token.
    public func token(sequence: Int, position: Int) -> ArraySlice<Float> {
        let start = (offsets[sequence] + position) * hiddenSize
        return hidden[start..<(start + hiddenSize)]
    }
}

/// A validated batch: ids, token types and key masks per sequence, and where each sequence's
/// rows start in the packed matrices.
struct BertBatch {
    let ids: [[Int32]]
    let tokenTypes: [[Int32]]
    /// Which keys each sequence attends to; nil when it attends to all of them.
    let keep: [[Bool]?]
    let lengths: [Int]
    let offsets: [Int]
    let rowCount: Int
    /// Token id, token type and position of each packed row.
    let rowIds, rowTypes, rowPositions: [Int32]

    init(ids: [[Int32]], tokenTypes: [[Int32]]?, attentionMask: [[Int32]]?, config: BertConfig) throws(EngineError) {
        if let tokenTypes, tokenTypes.map(\.count) != ids.map(\.count) {
            throw .invalidArgument("token type ids do not match the input ids in shape")
        }
        if let attentionMask, attentionMask.map(\.count) != ids.map(\.count) {
            throw .invalidArgument("attention mask does not match the input ids in shape")
        }
        var offsets: [Int] = []
        var rows = 0
        for (s, sequence) in ids.enumerated() {
            guard !sequence.isEmpty else { throw .invalidArgument("sequence \(s) of the batch is empty") }
            guard sequence.count <= config.maxPositions else {
                throw .invalidArgument("sequence \(s) has \(sequence.count) tokens; the encoder takes at most \(config.maxPositions)")
            }
            if let bad = sequence.first(where: { $0 < 0 || Int($0) >= config.vocabSize }) {
                throw .invalidArgument("token id \(bad) in sequence \(s) is outside the vocabulary (\(config.vocabSize))")
            }
            if let bad = tokenTypes?[s].first(where: { $0 < 0 || Int($0) >= config.typeVocabSize }) {
                throw .invalidArgument("token type \(bad) in sequence \(s) is outside 0..<\(config.typeVocabSize)")
            }
            offsets.append(rows)
            rows += sequence.count
        }
        self.ids = ids
        self.tokenTypes = tokenTypes ?? ids.map { [Int32](repeating: 0, count: $0.count) }
        self.keep = ids.indices.map { s in
            guard let mask = attentionMask?[s], mask.contains(0) else { return nil }
            return mask.map { $0 != 0 }
        }
        self.lengths = ids.map(\.count)
        self.offsets = offsets
        self.rowCount = rows
        rowIds = ids.flatMap { $0 }
        rowTypes = self.tokenTypes.flatMap { $0 }
        rowPositions = ids.flatMap { $0.indices.map { Int32($0) } }
    }
}

/// Activation buffers of a forward pass, kept by the model between calls (`BertScratchCache`)
/// and grown when a batch needs more: allocating them afresh cost every batch page faults.
final class BertScratch: @unchecked Sendable {
    /// `x`: the layer's input and output; `queryKeyValue`: `[rows, 3·hidden]`; `attention`: one
    /// `ck_bert_attention_scratch` block per thread.
    let x, queryKeyValue, context, projected, intermediate, attention: UnsafeMutablePointer<Float>
    let attentionPerThread: Int
    let rows, longest, threads: Int
    /// Floats held, all buffers together.
    let count: Int
    private let all: [UnsafeMutablePointer<Float>]

    init(rows: Int, hidden: Int, intermediate width: Int, longest: Int, headDim: Int, threads: Int) {
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            p.initialize(repeating: 0, count: max(count, 1))
            return p
        }
        self.rows = rows
        self.longest = longest
        self.threads = threads
        x = buffer(rows * hidden)
        queryKeyValue = buffer(rows * 3 * hidden)
        context = buffer(rows * hidden)
        projected = buffer(rows * hidden)
        intermediate = buffer(rows * width)
        attentionPerThread = ck_bert_attention_scratch(Int32(longest), Int32(headDim))
        attention = buffer(attentionPerThread * max(threads, 1))
        all = [x, queryKeyValue, context, projected, intermediate, attention]
        count = rows * (6 * hidden + width) + attentionPerThread * max(threads, 1)
    }

    deinit { for p in all { p.deallocate() } }

    /// Whether these buffers hold a batch of `rows` rows whose longest sequence has `longest` tokens.
    func fits(rows: Int, longest: Int, threads: Int) -> Bool {
        rows <= self.rows && longest <= self.longest && threads <= self.threads
    }
}
