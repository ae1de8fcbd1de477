import Synchronization

/// GPT-2 style byte-level BPE (SmolLM2, GPT-2, LLaMA-3, Qwen2): pre-tokenize, spell each word's
/// UTF-8 bytes with the byte-level alphabet, merge by rank.
///
/// Matches: HF `tokenizers` (`pre_tokenizers::ByteLevel` + `models::bpe` + `decoders::ByteLevel`)
/// and llama.cpp `llm_tokenizer_bpe` for `tokenizer.ggml.model == "gpt2"`.
public final class ByteLevelBPETokenizer: Tokenizer {
    /// The pieces themselves: text for `piece(for:)` and, through the byte-level table, the bytes
    /// `decodeBytes` returns (no `[String]` or decoded copy is kept, issue 8).
    let vocabulary: PieceIndex
    let merges: BPEMerges
    let preTokenizer: PreTokenizer
    let addedTokens: AddedTokenMatcher
    /// Emit a word that is itself in the vocabulary without merging (LLaMA-3's `ignore_merges`).
    let ignoreMerges: Bool
    public let specialTokens: SpecialTokens
    /// Id of each single-byte piece (-1 when the vocabulary lacks it).
    private let byteIds: [Int32]
    /// Merged ids of recently seen words: real text repeats its words, and merging dominates.
    private let cache = Mutex<[[UInt8]: [Int32]]>([:])
    private static let cacheLimit = 1 << 16

    /// Merges given as piece pairs (`tokenizer.json`).
    convenience init(pieces: [String], merges: [(String, String)], preTokenizer: PreTokenizer, addedTokens: [AddedToken],
                     ignoreMerges: Bool, specialTokens: SpecialTokens, source: String) throws(EngineError) {
        let index = PieceIndex(pieces)
        try self.init(vocabulary: index, merges: BPEMerges(merges: merges, vocabulary: index, source: source),
                      preTokenizer: preTokenizer, addedTokens: addedTokens, ignoreMerges: ignoreMerges, specialTokens: specialTokens)
    }

    /// Merges given as `"left right"` lines (GGUF metadata).
    convenience init(pieces: [String], mergeLines: [String], preTokenizer: PreTokenizer, addedTokens: [AddedToken],
                     ignoreMerges: Bool, specialTokens: SpecialTokens, source: String) throws(EngineError) {
        let index = PieceIndex(pieces)
        try self.init(vocabulary: index, merges: BPEMerges(mergeLines: mergeLines, vocabulary: index, source: source),
                      preTokenizer: preTokenizer, addedTokens: addedTokens, ignoreMerges: ignoreMerges, specialTokens: specialTokens)
    }

    private init(vocabulary: PieceIndex, merges: BPEMerges, preTokenizer: PreTokenizer,
                 addedTokens: [AddedToken], ignoreMerges: Bool, specialTokens: SpecialTokens) {
        self.vocabulary = vocabulary
        self.merges = merges
        self.preTokenizer = preTokenizer
        self.addedTokens = AddedTokenMatcher(addedTokens)
        self.ignoreMerges = ignoreMerges
        self.specialTokens = specialTokens
        self.byteIds = ByteLevel.byteToScalar.map { vocabulary.id(String($0)) ?? -1 }
    }

    public var vocabularySize: Int { vocabulary.count }
    public func token(for piece: String) -> Int32? { vocabulary.id(piece) }
    public func piece(for id: Int32) -> String? { vocabulary.piece(id) }

    public func encode(_ text: String, addSpecial: Bool) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(text.utf8.count / 3 + 2)
        for segment in addedTokens.split(text) {
            switch segment {
            case .token(let id): ids.append(id)
            case .text(let t): encodeText(t, into: &ids)
            }
        }
        return addSpecial ? specialTokens.wrap(ids) : ids
    }

    private func encodeText(_ text: Substring, into ids: inout [Int32]) {
        var scalars = Array(text.unicodeScalars)
        if preTokenizer.addPrefixSpace, scalars.first != " " { scalars.insert(" ", at: 0) }
        var symbols: [Int32] = []
        var utf8: [UInt8] = []
        for range in preTokenizer.split(scalars) {
            utf8.removeAll(keepingCapacity: true)
            for s in scalars[range] { UTF8.encode(s) { utf8.append($0) } }
            if ignoreMerges, let whole = vocabulary.id(ByteLevel.encode(utf8)) {
                ids.append(whole)
                continue
            }
            if let hit = cache.withLock({ $0[utf8] }) {
                ids.append(contentsOf: hit)
                continue
            }
            symbols.removeAll(keepingCapacity: true)
            for b in utf8 {
                let id = byteIds[Int(b)]
                if id >= 0 { symbols.append(id) } else if let unk = specialTokens.unk { symbols.append(unk) }
            }
            merges.apply(&symbols)
            ids.append(contentsOf: symbols)
            cache.withLock { c in
                if c.count >= Self.cacheLimit { c.removeAll(keepingCapacity: true) }
                c[utf8] = symbols
            }
        }
    }

    public func decodeBytes(_ ids: [Int32], skipSpecial: Bool) -> [UInt8] {
        // Decoding never lengthens a piece, so its spelling's length bounds the output.
        var bound = 0
        vocabulary.forEachPiece(ids) { _, piece in bound += piece.count }
        return [UInt8](unsafeUninitializedCapacity: bound) { out, written in
            vocabulary.forEachPiece(ids) { id, piece in
                if skipSpecial, specialTokens.control.contains(id) { return }
                written = ByteLevel.decode(utf8: piece, into: out, at: written)
            }
        }
    }
}
