/// BERT's WordPiece: each word becomes the longest vocabulary prefix, then `##`-prefixed longest
/// continuations; a word that cannot be covered (or is over 100 characters) becomes `[UNK]`.
///
/// Matches: HF `tokenizers` `models::wordpiece::WordPiece`, `decoders::WordPiece` (with clean-up),
/// and `processors::BertProcessing` (`[CLS] A [SEP] B [SEP]`).
public final class WordPieceTokenizer: Tokenizer {
    /// The pieces, matched by their bytes as HF's `HashMap<String, u32>` does (no `[String]` or
    /// `[String: Int32]` is kept resident, issue 8).
    let vocabulary: PieceIndex
    let preTokenizer: BertPreTokenizer
    let addedTokens: AddedTokenMatcher
    /// The `##` that marks a piece continuing a word, as UTF-8.
    let continuingPrefix: [UInt8]
    let maxCharsPerWord: Int
    /// Longest piece in scalars: candidates longer than this cannot match.
    private let longestPiece: Int
    public let specialTokens: SpecialTokens
    /// `[CLS]` and `[SEP]`.
    public let cls: Int32?
    public let sep: Int32?
    /// Longest sequence the model accepts (`model_max_length`, 512 for BERT).
    public let maxLength: Int

    init(pieces: [String], preTokenizer: BertPreTokenizer, addedTokens: [AddedToken], continuingPrefix: String = "##",
         maxCharsPerWord: Int = 100, maxLength: Int = 512, source: String) throws(EngineError) {
        let vocabulary = PieceIndex(pieces)
        guard let unk = vocabulary.id("[UNK]") else { throw .file(source, "the vocabulary has no `[UNK]` token") }
        self.vocabulary = vocabulary
        self.preTokenizer = preTokenizer
        self.addedTokens = AddedTokenMatcher(addedTokens)
        self.continuingPrefix = Array(continuingPrefix.utf8)
        self.maxCharsPerWord = maxCharsPerWord
        longestPiece = pieces.map(\.unicodeScalars.count).max() ?? 0
        self.maxLength = maxLength
        let cls = vocabulary.id("[CLS]"), sep = vocabulary.id("[SEP]")
        self.cls = cls
        self.sep = sep
        specialTokens = SpecialTokens(bos: cls, eos: sep, pad: vocabulary.id("[PAD]"), unk: unk,
                                      addBos: cls != nil, addEos: sep != nil,
                                      control: Set(addedTokens.map(\.id)))
    }

    public var vocabularySize: Int { vocabulary.count }
    public var decodeDropsLeadingSpace: Bool { true }
    public func token(for piece: String) -> Int32? { vocabulary.id(piece) }
    public func piece(for id: Int32) -> String? { vocabulary.piece(id) }

    public func encode(_ text: String, addSpecial: Bool) -> [Int32] {
        let ids = encodeWords(text)
        return addSpecial ? specialTokens.wrap(ids) : ids
    }

    /// Ids without `[CLS]`/`[SEP]`.
    func encodeWords(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        for segment in addedTokens.split(text) {
            switch segment {
            case .token(let id): ids.append(id)
            case .text(let t):
                for word in preTokenizer.words(t) { encodeWord(word, into: &ids) }
            }
        }
        return ids
    }

    private func encodeWord(_ word: String, into ids: inout [Int32]) {
        let unk = specialTokens.unk ?? 0
        // Candidates are runs of whole characters, looked up by their bytes without building them.
        var utf8: [UInt8] = [], scalarStarts: [Int] = []
        for s in word.unicodeScalars {
            scalarStarts.append(utf8.count)
            UTF8.encode(s) { utf8.append($0) }
        }
        let count = scalarStarts.count
        scalarStarts.append(utf8.count)
        guard count <= maxCharsPerWord else { ids.append(unk); return }
        var out: [Int32] = []
        var start = 0
        utf8.withUnsafeBufferPointer { bytes in
            continuingPrefix.withUnsafeBufferPointer { prefix in
                while start < count {
                    var end = min(count, start + longestPiece)
                    var found: Int32?
                    while start < end {
                        let candidate = UnsafeBufferPointer(rebasing: bytes[scalarStarts[start]..<scalarStarts[end]])
                        if let id = start > 0 ? vocabulary.id(prefix, candidate) : vocabulary.id(candidate) { found = id; break }
                        end -= 1
                    }
                    guard let found else { out = [unk]; return }
                    out.append(found)
                    start = end
                }
            }
        }
        ids.append(contentsOf: out)
    }

    public func decodeBytes(_ ids: [Int32], skipSpecial: Bool) -> [UInt8] {
        var out: [UInt8] = []
        vocabulary.forEachPiece(ids) { id, p in
            if skipSpecial, specialTokens.control.contains(id) { return }
            if p.starts(with: continuingPrefix) {
                out.append(contentsOf: p.dropFirst(continuingPrefix.count))
            } else {
                out.append(0x20)
                out.append(contentsOf: p)
            }
        }
        return out
    }

    /// Joined words with BERT's clean-up of spaces before punctuation and contractions.
    public func decode(_ ids: [Int32], skipSpecial: Bool) -> String {
        var bytes = decodeBytes(ids, skipSpecial: skipSpecial)
        if bytes.first == 0x20 { bytes.removeFirst() }
        var text = String(decoding: bytes, as: UTF8.self)
        for (from, to) in Self.cleanUps { text = text.replacing(from, with: to) }
        return text
    }

    /// Matches: HF `tokenizers` `decoders::wordpiece::cleanup`.
    static let cleanUps = [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" n't", "n't"),
                           (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")]
}
