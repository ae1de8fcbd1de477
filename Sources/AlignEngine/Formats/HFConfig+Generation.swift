/// `generation_config.json`: the defaults a checkpoint's authors chose for decoding.
///
/// Matches: transformers `GenerationConfig` field names (`do_sample`, `temperature`, `top_p`,
/// `top_k`, `repetition_penalty`, `max_length`, `max_new_tokens`, token ids).
public struct HFGenerationConfig: Sendable, Equatable {
    public var bosTokenID: Int?
    public var eosTokenIDs: [Int] = []
    public var padTokenID: Int?
    public var doSample: Bool?
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var repetitionPenalty: Double?
    public var maxLength: Int?
    public var maxNewTokens: Int?

    public init() {}

    public init(path: String) throws(EngineError) {
        let file = try HFConfig(path: path)
        bosTokenID = try file.tokenIDs("bos_token_id").first
        eosTokenIDs = try file.tokenIDs("eos_token_id")
        padTokenID = try file.tokenIDs("pad_token_id").first
        doSample = try file.bool("do_sample")
        temperature = try file.double("temperature")
        topP = try file.double("top_p")
        topK = try file.int("top_k")
        repetitionPenalty = try file.double("repetition_penalty")
        maxLength = try file.int("max_length")
        maxNewTokens = try file.int("max_new_tokens")
    }
}
