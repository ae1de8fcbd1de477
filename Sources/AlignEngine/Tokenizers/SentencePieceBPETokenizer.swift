import Synchronization

/// SentencePiece-style BPE as HF `tokenizer.json` stores LLaMA-2 / TinyLlama vocabularies: spaces
/// become `▁`, a `▁` is prepended, the whole segment is merged by rank, and characters outside the
/// vocabulary fall back to `<0xXX>` byte pieces.
///
/// Matches: HF `tokenizers` with either the legacy layout (normalizers `Prepend("▁")` +
/// `Replace(" ", "▁")`, no pre-tokenizer) or `Metaspace(prepend_scheme)`, model `BPE(byte_fallback,
/// fuse_unk)`, decoders `Replace` + `ByteFallback` + `Fuse` + `Strip(1, 0)`.
public final class SentencePieceBPETokenizer: Tokenizer {
    /// Where the `▁` prefix goes.
    enum Prefix: Sendable {
        /// Every text segment between added tokens (the `Prepend` normalizer).
        case everySegment
        /// Segments that do not already start with `▁` (Metaspace `always`).
        case always
        /// Only a segment at the very start of the input (Metaspace `first`).
        case first
        case never
    }

    /// The pieces: ids, and text for `piece(for:)` (no `[String]` is kept, issue 8).
    let vocabulary: PieceIndex
    let merges: BPEMerges
    let addedTokens: AddedTokenMatcher
    let prefix: Prefix
    let byteFallback: Bool
    /// Consecutive unknown characters become one `unk` (HF `fuse_unk`).
    let fuseUnknown: Bool
    /// The decoder strips one leading space (`Strip(" ", 1, 0)`).
    let stripsLeadingSpace: Bool
    public let specialTokens: SpecialTokens
    /// True when no piece joins a character to a following `▁` (SentencePiece's default
    /// `split_by_whitespace`): merges then never cross the start of a `▁`-word, so words are merged
    /// (and cached) one by one instead of merging the whole text at once.
    private let mergesStayInWords: Bool
    private let cache = Mutex<[String: [Int32]]>([:])
    private static let cacheLimit = 1 << 16
    private let byteIds: [Int32]
    private let decoded: DecodedPieces

    init(pieces: [String], merges: [(String, String)], addedTokens: [AddedToken], prefix: Prefix, byteFallback: Bool,
         fuseUnknown: Bool, stripsLeadingSpace: Bool, specialTokens: SpecialTokens, source: String) throws(EngineError) {
        let vocabulary = PieceIndex(pieces)
        self.vocabulary = vocabulary
        self.merges = try BPEMerges(merges: merges, vocabulary: vocabulary, source: source)
        self.addedTokens = AddedTokenMatcher(addedTokens)
        self.prefix = prefix
        self.byteFallback = byteFallback
        self.fuseUnknown = fuseUnknown
        self.stripsLeadingSpace = stripsLeadingSpace
        self.specialTokens = specialTokens
        mergesStayInWords = vocabulary.id("\u{2581}") != nil && !pieces.contains { p in
            var previous: Unicode.Scalar?
            for c in p.unicodeScalars {
                if c == "\u{2581}", let previous, previous != "\u{2581}" { return true }
                previous = c
            }
            return false
        }
        self.byteIds = (0..<256).map { vocabulary.id(SentencePieceBytes.pieceName(UInt8($0))) ?? -1 }
        let added = Set(addedTokens.map(\.id))
        self.decoded = DecodedPieces(count: pieces.count) { i, out in
            let p = pieces[i]
            if byteFallback, !added.contains(Int32(i)), let b = SentencePieceBytes.byte(ofPiece: p) {
                out.append(b)
            } else {
                out.append(contentsOf: p.replacingSpaceMarks().utf8)
            }
        }
    }

    public var vocabularySize: Int { vocabulary.count }
    public var decodeDropsLeadingSpace: Bool { stripsLeadingSpace }
    public func token(for piece: String) -> Int32? { vocabulary.id(piece) }
    public func piece(for id: Int32) -> String? { vocabulary.piece(id) }

    public func encode(_ text: String, addSpecial: Bool) -> [Int32] {
        var ids: [Int32] = []
        var atStart = true
        for segment in addedTokens.split(text) {
            switch segment {
            case .token(let id): ids.append(id)
            case .text(let t): encodeSegment(t, atStart: atStart, into: &ids)
            }
            atStart = false
        }
        return addSpecial ? specialTokens.wrap(ids) : ids
    }

    private func encodeSegment(_ text: Substring, atStart: Bool, into ids: inout [Int32]) {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.lazy.map { $0 == " " ? "\u{2581}" : $0 })
        let startsWithMark = scalars.first == "\u{2581}"
        switch prefix {
        case .everySegment: scalars.insert("\u{2581}", at: scalars.startIndex)
        case .always where !startsWithMark: scalars.insert("\u{2581}", at: scalars.startIndex)
        case .first where atStart && !startsWithMark: scalars.insert("\u{2581}", at: scalars.startIndex)
        default: break
        }
        guard mergesStayInWords else {
            ids.append(contentsOf: merged(scalars[...]))
            return
        }
        var start = scalars.startIndex
        var previous: Unicode.Scalar?
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let c = scalars[i]
            if c == "\u{2581}", let previous, previous != "\u{2581}", start < i {
                ids.append(contentsOf: cachedWord(scalars[start..<i]))
                start = i
            }
            previous = c
            i = scalars.index(after: i)
        }
        if start < scalars.endIndex { ids.append(contentsOf: cachedWord(scalars[start...])) }
    }

    private func cachedWord(_ word: Substring.UnicodeScalarView) -> [Int32] {
        let key = String(word)
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let ids = merged(word)
        cache.withLock { c in
            if c.count >= Self.cacheLimit { c.removeAll(keepingCapacity: true) }
            c[key] = ids
        }
        return ids
    }

    /// Characters → ids (byte fallback, fused unknowns) → merges.
    private func merged(_ scalars: Substring.UnicodeScalarView) -> [Int32] {
        var symbols: [Int32] = []
        var previousUnknown = false
        for s in scalars {
            if let id = vocabulary.id(String(s)) {
                symbols.append(id)
                previousUnknown = false
                continue
            }
            var bytes: [Int32] = []
            if byteFallback {
                UTF8.encode(s) { bytes.append(byteIds[Int($0)]) }
            }
            if !bytes.isEmpty, !bytes.contains(-1) {
                symbols.append(contentsOf: bytes)
                previousUnknown = false
            } else if let unk = specialTokens.unk, !(fuseUnknown && previousUnknown) {
                symbols.append(unk)
                previousUnknown = true
            }
        }
        merges.apply(&symbols)
        return symbols
    }

    public func decodeBytes(_ ids: [Int32], skipSpecial: Bool) -> [UInt8] {
        decoded.decode(ids) { skipSpecial && specialTokens.control.contains($0) }
    }
}
