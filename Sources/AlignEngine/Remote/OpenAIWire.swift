import Foundation

/// The JSON bodies of OpenAI's `/v1/completions` and `/v1/chat/completions`, plus the extension
/// fields vLLM and llama.cpp accept. Only the fields the client reads are decoded, so servers that
/// add their own fields still parse.
/// Matches: OpenAI API reference (legacy Completions, Chat Completions); vLLM's sampling extras.
enum OpenAIWire {
    struct Message: Codable, Sendable {
        var role: String
        var content: String?
    }

    /// One request body; `prompt` for completions, `messages` for chat.
    struct Request: Encodable {
        var model: String
        var prompt: String?
        var messages: [Message]?
        var maxTokens: Int
        var temperature: Double
        var topP: Double?
        var topK: Int?
        var minP: Double?
        var repetitionPenalty: Double?
        var stop: [String]?
        var seed: UInt64?
        var echo: Bool?
        var logprobs: Int?
        var stream = false

        enum CodingKeys: String, CodingKey {
            case model, prompt, messages, temperature, stop, seed, echo, logprobs, stream
            case maxTokens = "max_tokens", topP = "top_p", topK = "top_k", minP = "min_p"
            case repetitionPenalty = "repetition_penalty"
        }

        init(model: String, sampling: RemoteSampling) {
            self.model = model
            maxTokens = sampling.maxTokens
            temperature = sampling.temperature
            topP = sampling.topP
            topK = sampling.topK
            minP = sampling.minP
            repetitionPenalty = sampling.repetitionPenalty
            stop = sampling.stop.isEmpty ? nil : sampling.stop
            seed = sampling.seed
        }
    }

    struct Reply: Decodable {
        var choices: [Choice]
        var usage: Usage?
    }

    struct Choice: Decodable {
        var index: Int?
        /// Completions.
        var text: String?
        /// Chat completions.
        var message: Message?
        var finishReason: String?
        var logprobs: Logprobs?

        enum CodingKeys: String, CodingKey {
            case index, text, message, logprobs
            case finishReason = "finish_reason"
        }
    }

    /// The legacy completions log-probability block; with `echo` it covers the prompt too.
    struct Logprobs: Decodable {
        var tokens: [String]?
        var tokenLogprobs: [Double?]?
        var textOffset: [Int]?

        enum CodingKeys: String, CodingKey {
            case tokens
            case tokenLogprobs = "token_logprobs"
            case textOffset = "text_offset"
        }
    }

    struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
        }
    }

    /// The message of an error body in the shapes servers use: OpenAI and llama.cpp
    /// `{"error": {"message": …}}`, vLLM's `{"message": …}`, FastAPI's `{"detail": …}`, else the
    /// start of the body as text.
    static func errorMessage(_ body: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
            if let message = object["error"] as? String { return message }
            if let message = object["message"] as? String { return message }
            if let detail = object["detail"] as? String { return detail }
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(empty body)" : text
    }
}
