import AlignEngine
import AlignSyntax

/// The `openai:` backend of `model`, `generate`, `chat`, `logprob` and `align`: option parsing
/// and the calls through `OpenAIClient`. Sampling options mean what they mean in-process; a list
/// of prompts becomes one request per prompt, `concurrency:` at a time, results in input order.
extension ModelBuiltins {
    /// Scheme prefix of remote model ids.
    static let remotePrefix = "openai:"

    /// `model("openai:URL", name:, api_key_env:, concurrency:, timeout:, retries:)`: arguments
    /// 1–3 are the local-only options, 4–8 the remote ones. No network I/O here (no probing): a
    /// script loads its models before its runs start, and a wrong URL or name is reported by the
    /// first call, naming the endpoint, while `align check` and offline editing keep working.
    static func remoteModel(_ call: BuiltinCall, _ id: String) throws -> Value {
        for (i, name) in [(1, "quantize"), (2, "threads"), (3, "context")] where i < call.arguments.count && call.arguments[i] != nil {
            throw call.error(argument: i, "`\(name)` applies to local models; the server decides it for `openai:` endpoints")
        }
        guard let name = try call.optionalString(4, "name") else {
            throw call.error("`openai:` endpoints need `name:`, the model name the server serves",
                             help: "e.g. model(\"\(id)\", name: \"meta-llama/Llama-3.1-8B-Instruct\"); GET \(id.dropFirst(remotePrefix.count))/models lists them")
        }
        var key: String?
        let keyVariable = try call.optionalString(5, "api_key_env")
        if let keyVariable {
            guard let value = SourceFiles.environment(keyVariable), !value.isEmpty else {
                throw call.error(argument: 5, "environment variable \(keyVariable) is not set (it should hold the API key)")
            }
            key = value
        }
        let concurrency = try call.optionalInt(6, "concurrency") ?? 4
        let timeout = try call.optionalNumber(7, "timeout") ?? 600
        let retries = try call.optionalInt(8, "retries") ?? 4
        do throws(RemoteError) {
            let endpoint = try RemoteEndpoint(baseURL: String(id.dropFirst(remotePrefix.count)), modelName: name, apiKey: key,
                                              concurrency: concurrency, timeout: timeout, retries: retries)
            return .handle(RemoteModelHandle(OpenAIClient(endpoint: endpoint), keyVariable: keyVariable))
        } catch {
            throw call.error(argument: 0, error.description)
        }
    }

    /// The sampling options at `first…first+7` (the order of `samplingParameters`) as a request's
    /// settings. Checked here as in-process, so a bad value fails before anything is sent.
    static func remoteSampling(_ call: BuiltinCall, optionsFrom first: Int, maxTokens fallback: Int) throws -> RemoteSampling {
        let maxTokens = try call.optionalInt(first, "max_tokens") ?? fallback
        guard maxTokens >= 0 else { throw call.error(argument: first, "`max_tokens` must be >= 0, got \(maxTokens)") }
        var sampling = RemoteSampling(maxTokens: maxTokens)
        sampling.temperature = try call.optionalNumber(first + 1, "temperature") ?? 0
        sampling.topK = try call.optionalInt(first + 2, "top_k")
        sampling.topP = try call.optionalNumber(first + 3, "top_p")
        sampling.minP = try call.optionalNumber(first + 4, "min_p")
        sampling.repetitionPenalty = try call.optionalNumber(first + 5, "repeat_penalty")
        sampling.stop = try stopStrings(call, first + 6)
        sampling.seed = try seed(call, first + 7)
        let check = SamplerSettings(temperature: sampling.temperature, topK: sampling.topK ?? 0, topP: sampling.topP ?? 1,
                                    minP: sampling.minP ?? 0, repetitionPenalty: sampling.repetitionPenalty ?? 1)
        try call.engine { () throws(EngineError) in try check.validate() }
        return sampling
    }

    /// `generate` against a server: `/v1/completions` per prompt.
    static func remoteGenerate(_ call: BuiltinCall, _ client: OpenAIClient) throws -> Value {
        let (prompts, isList) = try call.textOrList(1, "prompt")
        let sampling = try remoteSampling(call, optionsFrom: 2, maxTokens: defaultMaxTokens)
        let outputs = try ModelCallLog.shared.remoteCompletions(call, client, prompts, sampling: sampling)
        return isList ? .list(outputs.map(Value.string)) : .string(outputs.first ?? "")
    }

    /// `chat` against a server: `/v1/chat/completions`, the server applying the chat template.
    static func remoteChat(_ call: BuiltinCall, _ client: OpenAIClient) throws -> Value {
        let messages = try chatMessages(call, 1)
        let sampling = try remoteSampling(call, optionsFrom: 2, maxTokens: defaultMaxTokens)
        let outputs = try ModelCallLog.shared.remoteChat(call, client, [messages], sampling: sampling)
        return .string(outputs.first ?? "")
    }
}

extension BuiltinCall {
    /// The client when argument `i` is a remote model, else nil (local models take the engine path).
    func remoteModel(_ i: Int) -> OpenAIClient? {
        guard i < arguments.count, case .handle(let h)? = arguments[i], let remote = h as? RemoteModelHandle else { return nil }
        return remote.client
    }

    /// Runs client code under the interpreter's Ctrl-C check (a waiting request is aborted, see
    /// `CurlExchange`), turning its errors into a diagnostic at this call.
    func remote<T>(_ body: () throws(RemoteError) -> T) throws -> T {
        try interruptible(body) { if case .cancelled = $0 { true } else { false } }
    }
}
