import AlignEngine

/// The JSON bodies `align serve` answers with, field for field as the OpenAI API reference shows
/// them (completion, chat.completion, their stream chunks, model list).
enum OpenAIResponses {
    /// `stop` for an end-of-turn token or a stop string, `length` at `max_tokens`.
    static func finishReason(_ reason: GenerationResult.FinishReason) -> String {
        switch reason {
        case .endOfGeneration, .stopString: "stop"
        case .maxTokens: "length"
        }
    }

    static func usage(prompt: Int, completion: Int) -> JSONText {
        .object([("prompt_tokens", .int(prompt)), ("completion_tokens", .int(completion)), ("total_tokens", .int(prompt + completion))])
    }

    struct Envelope {
        let id: String
        let created: Int
        let model: String

        func fields(_ object: String) -> [(String, JSONText)] {
            [("id", .string(id)), ("object", .string(object)), ("created", .int(created)), ("model", .string(model))]
        }
    }

    static func completion(_ e: Envelope, choices: [JSONText], usage: JSONText) -> JSONText {
        .object(e.fields("text_completion") + [("choices", .array(choices)), ("usage", usage)])
    }

    static func completionChoice(index: Int, text: String, logprobs: JSONText, finish: String?) -> JSONText {
        .object([("index", .int(index)), ("text", .string(text)), ("logprobs", logprobs), ("finish_reason", .optional(finish))])
    }

    static func completionChunk(_ e: Envelope, choice: JSONText) -> JSONText {
        .object(e.fields("text_completion") + [("choices", .array([choice]))])
    }

    static func chatCompletion(_ e: Envelope, choices: [JSONText], usage: JSONText) -> JSONText {
        .object(e.fields("chat.completion") + [("choices", .array(choices)), ("usage", usage)])
    }

    static func chatChoice(index: Int, content: String, finish: String) -> JSONText {
        .object([("index", .int(index)),
                 ("message", .object([("role", .string("assistant")), ("content", .string(content))])),
                 ("logprobs", .null), ("finish_reason", .string(finish))])
    }

    /// A chat stream chunk: `delta` is `{role}` first, then `{content}` pieces, then `{}` with the
    /// finish reason.
    static func chatChunk(_ e: Envelope, index: Int, delta: [(String, JSONText)], finish: String?) -> JSONText {
        .object(e.fields("chat.completion.chunk") + [("choices", .array([
            .object([("index", .int(index)), ("delta", .object(delta)), ("logprobs", .null), ("finish_reason", .optional(finish))]),
        ]))])
    }

    /// The closing chunk with `usage` and no choices (`stream_options.include_usage`).
    static func usageChunk(_ e: Envelope, object: String, usage: JSONText) -> JSONText {
        .object(e.fields(object) + [("choices", .array([])), ("usage", usage)])
    }

    static func model(id: String, created: Int) -> JSONText {
        .object([("id", .string(id)), ("object", .string("model")), ("created", .int(created)), ("owned_by", .string("align"))])
    }

    static func models(id: String, created: Int) -> JSONText {
        .object([("object", .string("list")), ("data", .array([model(id: id, created: created)]))])
    }

    /// One server-sent event carrying `value`.
    static func event(_ value: JSONText) -> String { "data: " + value.serialized + "\n\n" }

    static let done = "data: [DONE]\n\n"
}

/// The legacy completions `logprobs` object: token strings, their log-probabilities, the top
/// alternatives and each token's offset (in unicode scalars, as Python counts characters) in the
/// choice's text. Token strings come from a streaming decoder, so they concatenate to the text.
struct CompletionLogprobs {
    let tokenizer: any Tokenizer
    private var decoder: StreamingDecoder
    private var offset: Int
    private(set) var tokens: [String] = []
    private var tokenLogprobs: [JSONText] = []
    private var top: [JSONText] = []
    private var offsets: [JSONText] = []

    init(tokenizer: any Tokenizer, startOffset: Int) {
        self.tokenizer = tokenizer
        decoder = StreamingDecoder(tokenizer: tokenizer)
        offset = startOffset
    }

    /// Starts a new run of text (the completion after an echoed prompt), decoded on its own as
    /// the completion text is.
    mutating func beginText() { decoder = StreamingDecoder(tokenizer: tokenizer) }

    /// Appends one token; a nil score (the first prompt token) is written as null.
    mutating func append(_ id: Int32, _ score: TokenLogprob?) {
        let text = decoder.push(id)
        tokens.append(text)
        tokenLogprobs.append(score.map { .number($0.logprob) } ?? .null)
        offsets.append(.int(offset))
        offset += text.unicodeScalars.count
        top.append(score.map { s in .object(s.top.map { (tokenizer.decode([$0.token], skipSpecial: false), .number($0.logprob)) }) } ?? .null)
    }

    var json: JSONText { Self.object(tokens.map(JSONText.string), tokenLogprobs, top, offsets) }

    /// The object for the last token only (a stream chunk's).
    var lastJSON: JSONText {
        Self.object(tokens.suffix(1).map(JSONText.string), Array(tokenLogprobs.suffix(1)), Array(top.suffix(1)), Array(offsets.suffix(1)))
    }

    private static func object(_ tokens: [JSONText], _ logprobs: [JSONText], _ top: [JSONText], _ offsets: [JSONText]) -> JSONText {
        .object([("tokens", .array(tokens)), ("token_logprobs", .array(logprobs)), ("top_logprobs", .array(top)),
                 ("text_offset", .array(offsets))])
    }
}
