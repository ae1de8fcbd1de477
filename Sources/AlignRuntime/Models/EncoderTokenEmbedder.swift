import AlignEngine
import AlignMetrics

/// BERTScore's model side over an engine encoder: last-layer states of every token, `[CLS]` and
/// `[SEP]` marked special.
struct EncoderTokenEmbedder: TokenEmbedder {
    let encoder: EncoderModel

    func embed(_ text: String) throws -> TokenEmbeddings {
        let states = try encoder.tokenStates(text)
        return try TokenEmbeddings(tokenIDs: states.ids.map(Int.init), isSpecial: states.special,
                                   vectors: states.vectors, dimension: encoder.encoder.config.hiddenSize)
    }
}
