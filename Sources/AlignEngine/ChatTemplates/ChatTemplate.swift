/// One turn of a conversation.
public struct ChatMessage: Sendable, Equatable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// A checkpoint's chat template (the Jinja text from `tokenizer.chat_template` in GGUF metadata or
/// `chat_template` in `tokenizer_config.json`), parsed once and rendered per conversation.
public final class ChatTemplate: @unchecked Sendable {
    /// Where the template came from, for error messages.
    public let name: String
    public let source: String
    /// Immutable after parsing; rendering builds its own interpreter, so sharing is safe.
    private let nodes: [TemplateNode]
    private let scalars: [Unicode.Scalar]

    public init(_ source: String, name: String = "chat template") throws(EngineError) {
        self.name = name
        self.source = source
        scalars = Array(source.unicodeScalars)
        do {
            var parser = TemplateParser(try TemplateLexer(source))
            nodes = try parser.parseTemplate()
        } catch {
            throw Self.describe(error, name: name, scalars: Array(source.unicodeScalars))
        }
    }

    /// The template a GGUF file embeds, if any.
    public convenience init?(ggufMetadata: [String: MetadataValue], source: String) throws(EngineError) {
        guard let text = ggufMetadata["tokenizer.chat_template"]?.stringValue else { return nil }
        try self.init(text, name: "\(source): tokenizer.chat_template")
    }

    /// The template of a `tokenizer_config.json` (a string, or the named list whose `default` entry is used).
    public convenience init?(tokenizerConfig config: HFJSON, source: String) throws(EngineError) {
        let entry = config["chat_template"]
        let text = entry?.stringValue ?? entry?.arrayValue?.first { $0["name"]?.stringValue == "default" }?["template"]?.stringValue
        guard let text else { return nil }
        try self.init(text, name: "\(source): chat_template")
    }

    /// The prompt text for `messages`, as transformers' `apply_chat_template(tokenize=False)` gives it.
    public func render(messages: [ChatMessage], addGenerationPrompt: Bool, bosToken: String = "", eosToken: String = "",
                       extra: [String: String] = [:]) throws(EngineError) -> String {
        let list = messages.map { m in TemplateValue.object(TemplateObject([("role", .string(m.role)), ("content", .string(m.content))])) }
        var globals: [String: TemplateValue] = [
            "messages": .array(list),
            "add_generation_prompt": .bool(addGenerationPrompt),
            "bos_token": .string(bosToken),
            "eos_token": .string(eosToken),
        ]
        for (k, v) in extra { globals[k] = .string(v) }
        return try render(globals)
    }

    func render(_ globals: [String: TemplateValue]) throws(EngineError) -> String {
        let interpreter = TemplateInterpreter(globals: globals)
        do {
            try interpreter.run(nodes)
        } catch {
            throw Self.describe(error, name: name, scalars: scalars)
        }
        return interpreter.output
    }

    /// `name:line:column: message`.
    private static func describe(_ error: TemplateError, name: String, scalars: [Unicode.Scalar]) -> EngineError {
        var line = 1, column = 1
        for s in scalars.prefix(max(0, min(error.offset, scalars.count))) {
            if s == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return .file(name, "line \(line), column \(column): \(error.message)")
    }
}
