/// SentencePiece BPE driven by piece scores, as GGUF files with `tokenizer.ggml.model == "llama"`
/// store it (pieces, scores, token types; no merge list): spaces become `▁`, a `▁` is prepended,
/// then adjacent symbols are joined highest-score first; leftovers fall back to `<0xXX>` bytes.
///
/// Matches: llama.cpp `llm_tokenizer_spm_session::tokenize` (including the space prefix after every
/// special token) and `token_to_piece` for decoding.
public final class SentencePieceScoreTokenizer: Tokenizer {
    let scores: [Float]
    /// The pieces, matched by their bytes as llama.cpp's `token_to_id` map does (no `[String]` or
    /// `[String: Int32]` is kept, issue 8).
    let vocabulary: PieceIndex
    let addedTokens: AddedTokenMatcher
    let addSpacePrefix: Bool
    public let specialTokens: SpecialTokens
    /// `<0xXX>` ids by byte value (-1 when missing).
    private let byteIds: [Int32]
    /// Bytes each id decodes to; byte tokens decode to their byte.
    private let decoded: DecodedPieces

    init(pieces: [String], scores: [Float], byteTokens: [Int], addedTokens: [AddedToken], addSpacePrefix: Bool,
         specialTokens: SpecialTokens) {
        let vocabulary = PieceIndex(pieces)
        self.scores = scores
        self.vocabulary = vocabulary
        self.addedTokens = AddedTokenMatcher(addedTokens)
        self.addSpacePrefix = addSpacePrefix
        self.specialTokens = specialTokens
        var byteIds = [Int32](repeating: -1, count: 256)
        for b in 0..<256 {
            byteIds[b] = vocabulary.id(SentencePieceBytes.pieceName(UInt8(b))) ?? vocabulary.id(String(Unicode.Scalar(UInt8(b)))) ?? -1
        }
        self.byteIds = byteIds
        let byteSet = Set(byteTokens)
        self.decoded = DecodedPieces(count: pieces.count) { i, out in
            let p = pieces[i]
            if byteSet.contains(i), let b = SentencePieceBytes.byte(ofPiece: p) {
                out.append(b)
            } else {
                out.append(contentsOf: p.replacingSpaceMarks().utf8)
            }
        }
    }

    public var vocabularySize: Int { vocabulary.count }
    public var decodeDropsLeadingSpace: Bool { addSpacePrefix }
    public func token(for piece: String) -> Int32? { vocabulary.id(piece) }
    public func piece(for id: Int32) -> String? { vocabulary.piece(id) }

    public func encode(_ text: String, addSpecial: Bool) -> [Int32] {
        var ids: [Int32] = []
        var previousWasSpecial = true
        for segment in addedTokens.split(text) {
            switch segment {
            case .token(let id):
                ids.append(id)
                previousWasSpecial = true
            case .text(let t):
                var escaped = Array(t.utf8)
                if addSpacePrefix, previousWasSpecial { escaped.insert(0x20, at: 0) }
                encodeEscaped(SentencePieceBytes.escapeSpaces(escaped), into: &ids)
                previousWasSpecial = false
            }
        }
        return addSpecial ? specialTokens.wrap(ids) : ids
    }

    /// One symbol: a byte range of the text, linked to its neighbours.
    private struct Symbol {
        var start: Int
        var count: Int
        var prev: Int
        var next: Int
    }

    private struct Bigram: Comparable {
        var score: Float
        var left: Int
        var right: Int
        var size: Int
        /// Higher score first, then the leftmost.
        static func < (a: Bigram, b: Bigram) -> Bool { a.score != b.score ? a.score > b.score : a.left < b.left }
    }

    private func encodeEscaped(_ text: [UInt8], into ids: inout [Int32]) {
        var symbols: [Symbol] = []
        var offset = 0
        while offset < text.count {
            let n = min(SentencePieceBytes.sequenceLength(text[offset]), text.count - offset)
            symbols.append(Symbol(start: offset, count: n, prev: symbols.count - 1,
                                  next: offset + n == text.count ? -1 : symbols.count + 1))
            offset += n
        }
        var queue = MinHeap<Bigram>()
        var reverseMerge: [String: (Int, Int)] = [:]
        func tryAdd(_ l: Int, _ r: Int) {
            guard l >= 0, r >= 0 else { return }
            let s = symbols[l].start, n = symbols[l].count + symbols[r].count
            guard let id = self.id(text, s..<(s + n)) else { return }
            queue.push(Bigram(score: scores[Int(id)], left: l, right: r, size: n))
            reverseMerge[String(decoding: text[s..<(s + n)], as: UTF8.self)] = (l, r)
        }
        for i in symbols.indices.dropFirst() { tryAdd(i - 1, i) }
        while let b = queue.pop() {
            let l = symbols[b.left], r = symbols[b.right]
            if l.count == 0 || r.count == 0 || l.count + r.count != b.size { continue }
            symbols[b.left].count += r.count
            symbols[b.right].count = 0
            symbols[b.left].next = r.next
            if r.next >= 0 { symbols[r.next].prev = b.left }
            tryAdd(symbols[b.left].prev, b.left)
            tryAdd(b.left, symbols[b.left].next)
        }
        func resegment(_ sym: Symbol, depth: Int) {
            let range = sym.start..<(sym.start + sym.count)
            if let id = self.id(text, range) { ids.append(id); return }
            if depth < text.count, let (l, r) = reverseMerge[String(decoding: text[range], as: UTF8.self)] {
                resegment(symbols[l], depth: depth + 1)
                resegment(symbols[r], depth: depth + 1)
                return
            }
            for b in text[sym.start..<(sym.start + sym.count)] {
                let id = byteIds[Int(b)]
                if id >= 0 { ids.append(id) } else if let unk = specialTokens.unk { ids.append(unk) }
            }
        }
        var i = symbols.isEmpty ? -1 : 0
        while i >= 0 {
            resegment(symbols[i], depth: 0)
            i = symbols[i].next
        }
    }

    /// The id of the piece spelled by `text[range]`.
    private func id(_ text: [UInt8], _ range: Range<Int>) -> Int32? {
        text.withUnsafeBufferPointer { vocabulary.id(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    public func decodeBytes(_ ids: [Int32], skipSpecial: Bool) -> [UInt8] {
        decoded.decode(ids) { skipSpecial && specialTokens.control.contains($0) }
    }
}
