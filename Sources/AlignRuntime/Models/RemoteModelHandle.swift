import AlignEngine

/// A model behind an OpenAI-compatible server, as `model("openai:URL", name: …)` returns it:
/// shown as `<model smollm2 at openai:http://127.0.0.1:8080/v1, concurrency 4, …>`. It holds the
/// client only; no request is made until `generate`, `chat`, `logprob`, `align` or a judge uses it.
public final class RemoteModelHandle: Handle {
    public let client: OpenAIClient
    /// The environment variable the key came from, shown instead of the key.
    public let keyVariable: String?

    public init(_ client: OpenAIClient, keyVariable: String?) {
        self.client = client
        self.keyVariable = keyVariable
    }

    public var typeName: String { "model" }

    public var summary: String {
        let e = client.endpoint
        var text = "\(e.modelName) at openai:\(e.baseURL), concurrency \(e.concurrency), timeout \(Self.seconds(e.timeout)), retries \(e.retries)"
        if let keyVariable { text += ", key from $\(keyVariable)" }
        return text
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() && abs(s) < 1e9 ? "\(Int(s)) s" : "\(s) s"
    }
}
