import AlignSyntax

/// A function provided by the runtime. Parameters are declared so that the interpreter can bind
/// positional and keyword arguments uniformly, report unknown keywords with did-you-mean, and
/// show signatures in `:help`.
public final class Builtin: Callable, @unchecked Sendable {
    public struct Parameter: Sendable {
        public let name: String
        /// Optional parameters may be omitted; the implementation then sees `nil`.
        public let isOptional: Bool
        public init(_ name: String, optional: Bool = false) {
            self.name = name
            self.isOptional = optional
        }
    }

    public let name: String
    public let parameters: [Parameter]
    /// Extra positional arguments beyond `parameters` are allowed and land in `BuiltinCall.rest`
    /// (`print(a, b, c)`).
    public let isVariadic: Bool
    /// One or two sentences for `:help`.
    public let doc: String
    public let implementation: (BuiltinCall) throws -> Value

    public init(_ name: String, _ parameters: [Parameter], variadic: Bool = false, doc: String,
                _ implementation: @escaping (BuiltinCall) throws -> Value) {
        self.name = name
        self.parameters = parameters
        self.isVariadic = variadic
        self.doc = doc
        self.implementation = implementation
    }

    public var signature: String {
        var parts = parameters.map { $0.isOptional ? "\($0.name)?" : $0.name }
        if isVariadic { parts.append("…") }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }
}

/// The arguments of one built-in call, already bound to the declared parameters.
public struct BuiltinCall {
    /// One entry per declared parameter, `nil` when an optional one was not given.
    public let arguments: [Value?]
    /// Extra positional arguments of a variadic built-in.
    public let rest: [Value]
    /// The whole call expression.
    public let span: SourceSpan
    /// Span of the argument bound to each declared parameter (`nil` when not given).
    public let argumentSpans: [SourceSpan?]
    /// Spans of `rest`.
    public let restSpans: [SourceSpan]
    public let services: any InterpreterServices

    public init(arguments: [Value?], rest: [Value], span: SourceSpan, argumentSpans: [SourceSpan?],
                restSpans: [SourceSpan], services: any InterpreterServices) {
        self.arguments = arguments
        self.rest = rest
        self.span = span
        self.argumentSpans = argumentSpans
        self.restSpans = restSpans
        self.services = services
    }

    /// The value of parameter `i`; throws if a required one is missing (the interpreter normally
    /// checks this before calling).
    public func argument(_ i: Int) throws -> Value {
        guard i < arguments.count, let v = arguments[i] else {
            throw Diagnostic.error("missing argument", at: span)
        }
        return v
    }

    /// The span to blame for a bad argument `i` (falls back to the call).
    public func span(ofArgument i: Int) -> SourceSpan {
        (i < argumentSpans.count ? argumentSpans[i] : nil) ?? span
    }

    /// An error pointing at argument `i`.
    public func error(argument i: Int, _ message: String, label: String? = nil, help: String? = nil) -> Diagnostic {
        .error(message, at: span(ofArgument: i), label: label, help: help)
    }

    /// An error pointing at the whole call.
    public func error(_ message: String, label: String? = nil, help: String? = nil) -> Diagnostic {
        .error(message, at: span, label: label, help: help)
    }
}

/// What built-ins may ask of the interpreter that runs them.
public protocol InterpreterServices: AnyObject {
    /// Calls a language function value (for `map`, `filter`, `sort` keys, …).
    func call(_ function: Value, _ arguments: [Value], at span: SourceSpan) throws -> Value
    /// Writes program output (stdout in scripts, the cell output in the REPL).
    func output(_ text: String)
    /// Folder of the running script; relative paths in `read`/`write` resolve against it.
    var scriptDirectory: String { get }
    /// Width available for `show` grids.
    var displayWidth: Int { get }
    /// Set when the user asks to stop the running code (Ctrl-C in the REPL); long engine work
    /// checks it between steps.
    var interruption: Interruption { get }
}
