import AlignEngine
import AlignSyntax

/// The built-ins that run models and score text (`model`, `generate`, `chat`, `align`, `score` …),
/// one family per file in this folder.
public enum ModelBuiltins {
    public static var all: [Builtin] {
        loading + generation + tokens + encoders + alignment + metrics
    }

    /// Default `max_tokens` of `generate` and `chat`.
    static let defaultMaxTokens = 128
}

extension BuiltinCall {
    /// Runs engine code, turning its errors into a diagnostic at this call. Generation loops
    /// inside stop at their next step once the user interrupts (Ctrl-C in the REPL).
    func engine<T>(_ body: () throws(EngineError) -> T) throws -> T {
        try interruptible(body) { if case .cancelled = $0 { true } else { false } }
    }

    /// Runs `body` with the interpreter's Ctrl-C check bound for the engine loops and remote
    /// requests inside; the error `isCancelled` recognises (they stopped for it) is reported as
    /// `interrupted` at this call, any other with its own text.
    func interruptible<T, E: Error & CustomStringConvertible>(_ body: () throws(E) -> T,
                                                              isCancelled: (E) -> Bool) throws -> T {
        let interruption = services.interruption
        do {
            return try Cancellation.whenRequested({ interruption.isRequested }, body)
        } catch {
            throw isCancelled(error) ? Diagnostic.error("interrupted", at: span) : self.error(error.description)
        }
    }

    /// Argument `i` as a loaded model.
    func model(_ i: Int, _ name: String) throws -> LoadedModel {
        let v = try argument(i)
        if case .handle(let h) = v, h is RemoteModelHandle {
            throw error(argument: i, "`\(name)` needs a local model; an `openai:` endpoint serves generate, chat, logprob, align and judge only",
                        help: "load the model locally for this call, e.g. model(\"minilm\")")
        }
        guard case .handle(let h) = v, let m = h as? ModelHandle else {
            throw typeError(i, name, expected: "a model (from `model(id)`)", found: v)
        }
        return m.model
    }

    /// Argument `i` as a causal LM (`generate`, `chat`, `logprob`, `align`).
    func causalLM(_ i: Int, _ name: String) throws -> (LoadedModel, CausalLanguageModel) {
        let m = try model(i, name)
        guard let lm = m.causalLM else {
            throw error(argument: i, "`\(name)` must be a causal language model; \(m.id) is a \(m.kindName)",
                        help: "load a generative model, e.g. model(\"smollm2\")")
        }
        return (m, lm)
    }

    /// Argument `i` as an encoder (`embed`, `classify`, `probs`).
    func encoder(_ i: Int, _ name: String) throws -> (LoadedModel, EncoderModel) {
        let m = try model(i, name)
        guard let e = m.encoder else {
            throw error(argument: i, "`\(name)` must be an encoder model; \(m.id) is a \(m.kindName)",
                        help: "load a BERT or sentence-transformers model, e.g. model(\"minilm\")")
        }
        return (m, e)
    }

    /// A string, or a list of strings: the texts and whether a list was given.
    func textOrList(_ i: Int, _ name: String) throws -> (texts: [String], isList: Bool) {
        let v = try argument(i)
        switch v {
        case .string(let s): return ([s], false)
        case .list(let items):
            var out: [String] = []
            for (k, item) in items.enumerated() {
                guard case .string(let s) = item else {
                    throw error(argument: i, "expected a list of strings for `\(name)`, but element \(k) is \(item.typeName)")
                }
                out.append(s)
            }
            return (out, true)
        default: throw typeError(i, name, expected: "a string or a list of strings", found: v)
        }
    }

    func optionalNumber(_ i: Int, _ name: String) throws -> Double? {
        guard i < arguments.count, let v = arguments[i], v != .null else { return nil }
        return try number(i, name)
    }
}

extension Value {
    /// A list of floats (embeddings, per-token log-probabilities).
    static func floats<S: Sequence>(_ xs: S) -> Value where S.Element: BinaryFloatingPoint {
        .list(xs.map { .float(Double($0)) })
    }
}
