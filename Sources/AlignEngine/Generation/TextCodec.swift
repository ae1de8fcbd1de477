/// What generation needs from a tokenizer: text to ids, ids to text, and which ids end a turn.
/// Generation codes against this small protocol so tests can feed ids directly; real checkpoints
/// use `TokenizerTextCodec` over the engine's `Tokenizer`.
public protocol TextCodec: Sendable {
    func encode(_ text: String) -> [Int32]
    func decode(_ ids: [Int32]) -> String
    var bos: Int32? { get }
    var eos: Int32? { get }
    /// Whether sampling `id` ends the sequence (EOS and end-of-turn tokens such as `<|im_end|>`).
    func isEndOfGeneration(_ id: Int32) -> Bool
}

extension TextCodec {
    public func isEndOfGeneration(_ id: Int32) -> Bool { id == eos }
}

/// Adapts a checkpoint's `Tokenizer`: prompts are encoded with its special-token rules, output
/// is decoded without control tokens.
public struct TokenizerTextCodec: TextCodec {
    public let tokenizer: any Tokenizer

    public init(_ tokenizer: any Tokenizer) { self.tokenizer = tokenizer }

    public func encode(_ text: String) -> [Int32] { tokenizer.encode(text, addSpecial: true) }
    public func decode(_ ids: [Int32]) -> String { tokenizer.decode(ids, skipSpecial: true) }
    public var bos: Int32? { tokenizer.specialTokens.bos }
    public var eos: Int32? { tokenizer.specialTokens.eos }
    public func isEndOfGeneration(_ id: Int32) -> Bool { tokenizer.isEndOfGeneration(id) }
}
