import AlignEngine
import Foundation
import Testing
@testable import AlignServe

/// Request bodies to generation settings, and the JSON the server writes, without a model.
@Suite struct RequestParsingTests {
    private func fields(_ json: String) throws(APIError) -> RequestFields { try RequestFields.parse(Array(json.utf8)) }

    private func parameters(_ json: String, chat: Bool = false) throws -> GenerationParameters {
        try GenerationParameters(fields(json), defaults: .greedy, chat: chat)
    }

    private func refusal(_ json: String, chat: Bool = false) -> APIError? {
        do {
            _ = try parameters(json, chat: chat)
            return nil
        } catch let error as APIError {
            return error
        } catch {
            return nil
        }
    }

    @Test func serializedJSONEscapesAndParsesBack() throws {
        let value = JSONText.object([("a", .string("q\"\\\n\t\u{1}é😀")), ("b", .null), ("c", .number(.infinity)),
                                     ("d", .array([.int(-3), .bool(true), .number(0.25)]))])
        #expect(value.serialized == #"{"a":"q\"\\\n\t\u0001é😀","b":null,"c":null,"d":[-3,true,0.25]}"#)
        let back = try #require(try JSONSerialization.jsonObject(with: Data(value.serialized.utf8)) as? [String: Any])
        #expect(back["a"] as? String == "q\"\\\n\t\u{1}é😀")
    }

    @Test func bodiesThatAreNotJSONObjectsAreRefused() {
        for body in ["", "nope", "[1, 2]", "\"text\"", #"{"a": "#, String(repeating: "[", count: 100_000)] {
            #expect(throws: APIError.self, "\(body.prefix(20))") { try fields(body) }
        }
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect((try? fields(#"{"a": \#(deep)}"#)) == nil)
        #expect((try? fields(#"{"prompt": "\#(String(repeating: "[", count: 500))"}"#)) != nil, "brackets inside strings do not nest")
    }

    @Test func fieldsMapToTheSampler() throws {
        let p = try parameters(#"{"model": "m", "max_tokens": 7, "temperature": 0.5, "top_p": 0.9, "top_k": -1, "min_p": 0.1, "repetition_penalty": 1.2, "seed": 42, "stop": "END", "n": 3, "stream": true, "stream_options": {"include_usage": true}, "logprobs": 2, "echo": true, "user": "ignored", "frequency_penalty": 0}"#)
        #expect(p.model == "m" && p.maxTokens == 7 && p.stop == ["END"] && p.n == 3 && p.stream && p.includeUsage)
        #expect(p.sampler == SamplerSettings(temperature: 0.5, topK: 0, topP: 0.9, minP: 0.1, repetitionPenalty: 1.2, seed: 42))
        #expect(p.sampler(copy: 2).seed == 44)
        #expect(p.logprobs == 2 && p.echo)
        let defaults = try parameters(#"{"prompt": "x", "stop": null, "max_tokens": null}"#)
        #expect(defaults.maxTokens == nil && defaults.stop.isEmpty && defaults.sampler == .greedy && defaults.n == 1)
        #expect(try parameters(#"{"max_completion_tokens": 9}"#, chat: true).maxTokens == 9)
    }

    @Test func outOfRangeAndUnsupportedFieldsAreRefused() {
        let cases: [(String, String)] = [
            (#"{"max_tokens": -1}"#, "invalid_value"), (#"{"max_tokens": 1.5}"#, "invalid_value"), (#"{"max_tokens": "9"}"#, "invalid_value"),
            (#"{"temperature": -0.1}"#, "invalid_value"), (#"{"top_p": 0}"#, "invalid_value"), (#"{"seed": -1}"#, "invalid_value"),
            (#"{"stop": ""}"#, "invalid_value"), (#"{"stop": [1]}"#, "invalid_value"), (#"{"n": 0}"#, "invalid_value"),
            (#"{"n": 17}"#, "invalid_value"), (#"{"logprobs": 6}"#, "invalid_value"), (#"{"stream": "yes"}"#, "invalid_value"),
            (#"{"presence_penalty": 0.5}"#, "unsupported"), (#"{"logit_bias": {"1": 5}}"#, "unsupported"),
            (#"{"best_of": 2}"#, "unsupported"), (#"{"tools": []}"#, "unsupported"),
            (#"{"response_format": {"type": "json_object"}}"#, "unsupported"),
        ]
        for (body, code) in cases {
            let error = refusal(body)
            #expect(error?.status == 400 && error?.code == code, "\(body): \(String(describing: error))")
        }
        #expect(refusal(#"{"logprobs": true}"#, chat: true)?.code == "unsupported")
    }

    @Test func errorBodiesHaveOpenAIShape() throws {
        let error = APIError(status: 429, message: "busy", type: "rate_limit_error", code: "rate_limit_exceeded")
        #expect(error.json.serialized == #"{"error":{"message":"busy","type":"rate_limit_error","param":null,"code":"rate_limit_exceeded"}}"#)
        #expect(error.response.headers.contains { $0.name == "Retry-After" })
    }
}
