/// Text ↔ token ids for one checkpoint. Every tokenizer family (byte-level BPE, SentencePiece-style
/// BPE, libsentencepiece, WordPiece) sits behind this so generation and metrics need not know which.
public protocol Tokenizer: AnyObject, Sendable {
    /// Token ids for `text`; with `addSpecial` the checkpoint's own BOS/EOS (or `[CLS] … [SEP]`) rules apply.
    func encode(_ text: String, addSpecial: Bool) -> [Int32]
    /// The raw bytes the ids stand for, before UTF-8 decoding. Incremental decoding needs bytes so it
    /// can hold back a character split across tokens.
    func decodeBytes(_ ids: [Int32], skipSpecial: Bool) -> [UInt8]
    /// Text for `ids`. Tokenizers whose decoders strip or join (SentencePiece's leading space,
    /// WordPiece's `##`) override this; the default decodes the bytes leniently.
    func decode(_ ids: [Int32], skipSpecial: Bool) -> String
    var vocabularySize: Int { get }
    var specialTokens: SpecialTokens { get }
    /// The id of a token's exact vocabulary string, if present (e.g. `"<|im_end|>"`).
    func token(for piece: String) -> Int32?
    /// The vocabulary string of an id, if in range.
    func piece(for id: Int32) -> String?
    /// Whether a single space at the very start of the decoded bytes is dropped (SentencePiece's
    /// `▁` prefix, WordPiece's word separator). Streaming decoding applies the same rule.
    var decodeDropsLeadingSpace: Bool { get }
}

extension Tokenizer {
    public func decode(_ ids: [Int32], skipSpecial: Bool) -> String {
        var bytes = decodeBytes(ids, skipSpecial: skipSpecial)
        if decodeDropsLeadingSpace, bytes.first == 0x20 { bytes.removeFirst() }
        return String(decoding: bytes, as: UTF8.self)
    }

    public var decodeDropsLeadingSpace: Bool { false }

    public var bos: Int32? { specialTokens.bos }
    public var eos: Int32? { specialTokens.eos }
    public var pad: Int32? { specialTokens.pad }
    public var unk: Int32? { specialTokens.unk }

    /// Whether `id` ends generation (EOS or one of the checkpoint's extra end-of-turn tokens).
    public func isEndOfGeneration(_ id: Int32) -> Bool {
        id == specialTokens.eos || specialTokens.endOfTurn.contains(id)
    }
}

/// The ids with a fixed meaning, and the rules for adding them.
public struct SpecialTokens: Sendable, Equatable {
    public var bos: Int32?
    public var eos: Int32?
    public var pad: Int32?
    public var unk: Int32?
    /// Extra ids that also end a turn (e.g. `<|im_end|>`, `<|eot_id|>`).
    public var endOfTurn: Set<Int32>
    /// Whether `encode(addSpecial: true)` prepends BOS / appends EOS.
    public var addBos: Bool
    public var addEos: Bool
    /// Ids that `decode(skipSpecial: true)` drops (control tokens).
    public var control: Set<Int32>

    public init(bos: Int32? = nil, eos: Int32? = nil, pad: Int32? = nil, unk: Int32? = nil,
                endOfTurn: Set<Int32> = [], addBos: Bool = false, addEos: Bool = false, control: Set<Int32> = []) {
        self.bos = bos
        self.eos = eos
        self.pad = pad
        self.unk = unk
        self.endOfTurn = endOfTurn
        self.addBos = addBos
        self.addEos = addEos
        self.control = control
    }

    /// `ids` wrapped in BOS/EOS as the checkpoint asks.
    func wrap(_ ids: [Int32]) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(ids.count + 2)
        if addBos, let bos { out.append(bos) }
        out.append(contentsOf: ids)
        if addEos, let eos { out.append(eos) }
        return out
    }
}
