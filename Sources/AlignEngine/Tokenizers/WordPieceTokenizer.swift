/// BERT's WordPiece: each word becomes the longest vocabulary prefix, then `##`-prefixed longest
/// continuations; a word that cannot be covered (or is over 100 characters) becomes `[UNK]`.
///
/// Matches: HF `tokenizers` `models::wordpiece::WordPiece`, `decoders::WordPiece` (with clean-up),
/// and `processors::BertProcessing` (`[CLS] A [SEP] B [SEP]`).
public final class WordPieceTokenizer: Tokenizer {
    let pieces: [String]
    let vocabulary: [String: Int32]
    let preTokenizer: BertPreTokenizer
    let addedTokens: AddedTokenMatcher
    let continuingPrefix: String
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
        var vocabulary: [String: Int32] = [:]
        for (i, p) in pieces.enumerated() where vocabulary[p] == nil { vocabulary[p] = Int32(i) }
        guard let unk = vocabulary["[UNK]"] else { throw .file(source, "the vocabulary has no `[UNK]` token") }
        self.pieces = pieces
        self.vocabulary = vocabulary
        self.preTokenizer = preTokenizer
        self.addedTokens = AddedTokenMatcher(addedTokens)
        self.continuingPrefix = continuingPrefix
        self.maxCharsPerWord = maxCharsPerWord
        longestPiece = pieces.map(\.unicodeScalars.count).max() ?? 0
        self.maxLength = maxLength
        cls = vocabulary["[CLS]"]
        sep = vocabulary["[SEP]"]
        specialTokens = SpecialTokens(bos: vocabulary["[CLS]"], eos: vocabulary["[SEP]"], pad: vocabulary["[PAD]"], unk: unk,
                                      addBos: vocabulary["[CLS]"] != nil, addEos: vocabulary["[SEP]"] != nil,
                                      control: Set(addedTokens.map(\.id)))
    }

    public var vocabularySize: Int { pieces.count }
    public var decodeDropsLeadingSpace: Bool { true }
    public func token(for piece: String) -> Int32? { vocabulary[piece] }
    public func piece(for id: Int32) -> String? { pieces.indices.contains(Int(id)) ? pieces[Int(id)] : nil }

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
        let scalars = Array(word.unicodeScalars)
        guard scalars.count <= maxCharsPerWord else { ids.append(unk); return }
        var out: [Int32] = []
        var start = 0
        while start < scalars.count {
            var end = min(scalars.count, start + longestPiece)
            var found: Int32?
            while start < end {
                var candidate = String(String.UnicodeScalarView(scalars[start..<end]))
                if start > 0 { candidate = continuingPrefix + candidate }
                if let id = vocabulary[candidate] { found = id; break }
                end -= 1
            }
            guard let found else { ids.append(unk); return }
            out.append(found)
            start = end
        }
        ids.append(contentsOf: out)
    }

    public func decodeBytes(_ ids: [Int32], skipSpecial: Bool) -> [UInt8] {
        var out: [UInt8] = []
        for id in ids where pieces.indices.contains(Int(id)) {
            if skipSpecial, specialTokens.control.contains(id) { continue }
            let p = pieces[Int(id)]
            if p.hasPrefix(continuingPrefix) {
                out.append(contentsOf: p.utf8.dropFirst(continuingPrefix.utf8.count))
            } else {
                out.append(0x20)
                out.append(contentsOf: p.utf8)
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
