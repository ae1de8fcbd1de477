import AlignSyntax

/// A function written in the language: `fn`, a lambda or a `prompt`.
public final class UserFunction: Callable, @unchecked Sendable {
    let code: FunctionCode
    /// Variables of the enclosing calls that the body may use.
    let captured: Environment?

    init(code: FunctionCode, captured: Environment?) {
        self.code = code
        self.captured = captured
    }

    public var name: String { code.name }
    public var signature: String { code.signature }
    /// True for `prompt` templates.
    public var isPrompt: Bool { code.kind == .prompt }
    /// The declaration's source text (run manifests record prompts exactly as written).
    public var sourceText: String { code.span.text }
    /// Where the function was declared.
    public var span: SourceSpan { code.span }
}

/// The compiled, immutable part of a function shared by every closure made from it.
final class FunctionCode {
    enum Kind { case function, lambda, prompt }

    struct ParameterInfo {
        let name: String
        let storage: LocalStorage
        /// Evaluated in the callee's activation when the argument is omitted.
        let defaultValue: Eval?
    }

    let name: String
    let kind: Kind
    let parameters: [ParameterInfo]
    let frameSize: Int
    /// Size of the `Environment` each call allocates; nil when calls allocate none.
    let environmentSize: Int?
    /// All parameters live on the stack at slots `0..<parameters.count` (the fast call path).
    let parametersOnStack: Bool
    let body: Eval
    let span: SourceSpan
    let runtime: Runtime
    /// Keeps the cells of the globals the body reads alive as long as the function exists.
    let globals: GlobalScope

    init(name: String, kind: Kind, parameters: [ParameterInfo], frameSize: Int, environmentSize: Int?,
         body: @escaping Eval, span: SourceSpan, runtime: Runtime, globals: GlobalScope) {
        self.name = name
        self.kind = kind
        self.parameters = parameters
        self.frameSize = frameSize
        self.environmentSize = environmentSize
        self.parametersOnStack = parameters.enumerated().allSatisfy {
            if case .stack(let i) = $0.element.storage { i == $0.offset } else { false }
        }
        self.body = body
        self.span = span
        self.runtime = runtime
        self.globals = globals
    }

    var signature: String {
        let ps = parameters.map { $0.defaultValue == nil ? $0.name : "\($0.name):" }
        return "\(name)(\(ps.joined(separator: ", ")))"
    }

    /// Index of the first parameter without a default that is at or after `count`.
    var requiredCount: Int {
        var n = 0
        for (i, p) in parameters.enumerated() where p.defaultValue == nil { n = i + 1 }
        return n
    }
}

/// Where a local variable lives.
enum LocalStorage {
    case stack(Int)
    case environment(Int)
}
