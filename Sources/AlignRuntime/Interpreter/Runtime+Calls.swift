import AlignSyntax

/// Calling any callable value with evaluated arguments (call sites that missed the fast path,
/// and built-ins such as `map` calling back into the language).
extension Runtime {
    func callValue(_ callee: Value, positional: [Value], positionalSpans: [SourceSpan]?,
                   named: [NamedArgument], at span: SourceSpan) throws -> Value {
        guard case .function(let callable) = callee else {
            throw Diagnostic.error("cannot call a value of type \(callee.typeName)", at: span,
                                   label: "not a function")
        }
        if let f = callable as? UserFunction {
            do {
                return try f.code.invoke(f, positional: positional, named: named, at: span)
            } catch {
                throw annotate(error, calling: f.name, at: span)
            }
        }
        if let b = callable as? Builtin {
            return try callBuiltin(b, positional: positional, positionalSpans: positionalSpans, named: named, at: span)
        }
        throw Diagnostic.error("`\(callable.name)` cannot be called here", at: span)
    }

    /// Binds arguments to a built-in's declared parameters (the convention of `Builtin`).
    func callBuiltin(_ b: Builtin, positional: [Value], positionalSpans: [SourceSpan]?,
                     named: [NamedArgument], at span: SourceSpan) throws -> Value {
        let count = b.parameters.count
        var arguments = [Value?](repeating: nil, count: count)
        var spans = [SourceSpan?](repeating: nil, count: count)
        var rest: [Value] = []
        var restSpans: [SourceSpan] = []
        for (i, v) in positional.enumerated() {
            let s = positionalSpans.flatMap { i < $0.count ? $0[i] : nil } ?? span
            if i < count {
                arguments[i] = v
                spans[i] = s
            } else if b.isVariadic {
                rest.append(v)
                restSpans.append(s)
            } else {
                throw Diagnostic.error("too many arguments to `\(b.name)`: expected at most \(count), got \(positional.count)",
                                       at: s, label: "extra argument", help: "the signature is `\(b.signature)`")
            }
        }
        for arg in named {
            guard let i = b.parameters.firstIndex(where: { $0.name == arg.label.name }) else {
                throw unknownArgument(arg.label, candidates: b.parameters.map(\.name), callee: b.name, signature: b.signature)
            }
            if arguments[i] != nil {
                throw Diagnostic.error("argument `\(arg.label.name)` given twice", at: arg.label.span,
                                       help: "the signature is `\(b.signature)`")
            }
            arguments[i] = arg.value
            spans[i] = arg.span
        }
        for (i, p) in b.parameters.enumerated() where arguments[i] == nil && !p.isOptional {
            throw Diagnostic.error("missing argument `\(p.name)` in call to `\(b.name)`", at: span,
                                   help: "the signature is `\(b.signature)`")
        }
        let call = BuiltinCall(arguments: arguments, rest: rest, span: span, argumentSpans: spans,
                               restSpans: restSpans, services: self)
        do {
            return try b.implementation(call)
        } catch let d as Diagnostic {
            throw d
        } catch let s as FlowSignal {
            throw s
        } catch {
            throw Diagnostic.error("`\(b.name)` failed: \(error)", at: span)
        }
    }
}
