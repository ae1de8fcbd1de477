import AlignSyntax
@testable import AlignRuntime

/// Stands in for the interpreter: records output and calls built-in function values (tests
/// make "lambdas" with `function(_:)`).
final class RecordingServices: InterpreterServices {
    var printed = ""
    let scriptDirectory: String
    let displayWidth: Int
    let interruption = Interruption()

    init(scriptDirectory: String = "/tmp", displayWidth: Int = 80) {
        self.scriptDirectory = scriptDirectory
        self.displayWidth = displayWidth
    }

    func call(_ function: Value, _ arguments: [Value], at span: SourceSpan) throws -> Value {
        guard case .function(let f) = function, let builtin = f as? Builtin else {
            throw Diagnostic.error("test services can only call built-ins", at: span)
        }
        return try BuiltinHarness.invoke(builtin, arguments, [:], services: self)
    }

    func output(_ text: String) { printed += text }
}

enum BuiltinHarness {
    static func builtin(_ name: String) -> Builtin? {
        Builtins.all.first { $0.name == name }
    }

    /// The source text the fake spans point into: argument `i` is the text `aI`.
    static func spans(count: Int) -> (call: SourceSpan, arguments: [SourceSpan]) {
        let parts = (0..<count).map { "a\($0)" }
        let text = "f(" + parts.joined(separator: ", ") + ")"
        let file = SourceFile(path: "test.align", text: text)
        var offset = 2
        var argumentSpans: [SourceSpan] = []
        for p in parts {
            argumentSpans.append(SourceSpan(file: file, start: offset, end: offset + p.utf8.count))
            offset += p.utf8.count + 2
        }
        return (SourceSpan(file: file, start: 0, end: text.utf8.count), argumentSpans)
    }

    /// Binds positional and keyword arguments the way the interpreter does and runs the built-in.
    static func invoke(_ b: Builtin, _ positional: [Value], _ keywords: [String: Value],
                       services: InterpreterServices) throws -> Value {
        let total = positional.count + keywords.count
        let (callSpan, argSpans) = spans(count: total)
        var arguments = [Value?](repeating: nil, count: b.parameters.count)
        var argumentSpans = [SourceSpan?](repeating: nil, count: b.parameters.count)
        var rest: [Value] = [], restSpans: [SourceSpan] = []
        for (k, v) in positional.enumerated() {
            if k < b.parameters.count {
                arguments[k] = v
                argumentSpans[k] = argSpans[k]
            } else {
                rest.append(v)
                restSpans.append(argSpans[k])
            }
        }
        for (k, (name, v)) in keywords.sorted(by: { $0.key < $1.key }).enumerated() {
            guard let p = b.parameters.firstIndex(where: { $0.name == name }) else {
                throw Diagnostic.error("unknown keyword \(name)", at: callSpan)
            }
            arguments[p] = v
            argumentSpans[p] = argSpans[positional.count + k]
        }
        return try b.implementation(BuiltinCall(arguments: arguments, rest: rest, span: callSpan,
                                                argumentSpans: argumentSpans, restSpans: restSpans,
                                                services: services))
    }

    /// Calls built-in `name`; fails the test if it does not exist.
    static func call(_ name: String, _ positional: [Value], _ keywords: [String: Value] = [:],
                     services: InterpreterServices = RecordingServices()) throws -> Value {
        guard let b = builtin(name) else {
            throw Diagnostic.error("no built-in \(name)", at: nil)
        }
        return try invoke(b, positional, keywords, services: services)
    }

    /// The diagnostic a call reports (message, and the text of the span it points at), or nil.
    static func failure(_ name: String, _ positional: [Value], _ keywords: [String: Value] = [:],
                        services: InterpreterServices = RecordingServices()) -> (message: String, at: String, help: String?)? {
        do {
            _ = try call(name, positional, keywords, services: services)
            return nil
        } catch let d as Diagnostic {
            return (d.message, d.span?.text ?? "", d.help)
        } catch {
            return ("unexpected error \(error)", "", nil)
        }
    }
}

/// A function value for `map`/`filter`/`sort` tests.
func function(_ body: @escaping ([Value]) throws -> Value) -> Value {
    .function(Builtin("<lambda>", [], variadic: true, doc: "test function") { call in try body(call.rest) })
}

extension Value {
    static func strings(_ xs: [String]) -> Value { .list(xs.map(Value.string)) }
    static func ints(_ xs: [Int]) -> Value { .list(xs.map(Value.int)) }
}
