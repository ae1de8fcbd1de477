import AlignSyntax

/// Call sites. Calls with only positional arguments to a function whose parameters all live on
/// the stack take a path with no argument arrays; everything else binds by name at run time.
extension Compiler {
    func compileCall(_ calleeExpr: Expr, _ arguments: [Argument], at span: SourceSpan) -> Eval {
        let positionalCount = arguments.firstIndex { $0.label != nil } ?? arguments.count
        if let misplaced = arguments[positionalCount...].first(where: { $0.label == nil }) {
            return failed("positional argument after a named one", at: misplaced.value.span,
                          help: "put positional arguments first, as in `f(a, b, name: c)`")
        }
        checkStaticCall(calleeExpr, arguments)
        let callee = compile(calleeExpr)
        // A top-level `fn` cannot be reassigned, so the call reaches it directly.
        var fixedFunction: UnsafeMutablePointer<Unmanaged<UserFunction>?>?
        if case .name(let n) = calleeExpr.kind, case .global(let slot)? = resolve(n),
           slot.kind == .function, slot.isDefinedStatically {
            fixedFunction = slot.userFunction
        }
        // The fast paths below capture the first arguments' closures directly, not through the
        // array (a closure read from an array is called through a thunk).
        var values: [Eval] = []
        var a0: Eval = { _ in .null }, a1: Eval = { _ in .null }
        for (i, argument) in arguments.enumerated() {
            let f = compile(argument.value)
            if i == 0 { a0 = f } else if i == 1 { a1 = f }
            values.append(f)
        }
        let runtime = self.runtime
        let labels = arguments[positionalCount...].map { $0.label! }
        let spans = arguments.map(\.value.span)
        let positionalSpans = Array(spans[..<positionalCount])
        let general: (Activation, Value) throws -> Value = { a, f in
            var positional: [Value] = []
            positional.reserveCapacity(positionalCount)
            for i in 0..<positionalCount { positional.append(try values[i](a)) }
            var named: [NamedArgument] = []
            for (k, label) in labels.enumerated() {
                named.append(NamedArgument(label: label, value: try values[positionalCount + k](a), span: spans[positionalCount + k]))
            }
            return try runtime.callValue(f, positional: positional, positionalSpans: positionalSpans, named: named, at: span)
        }
        guard labels.isEmpty else {
            return { a in try general(a, try callee(a)) }
        }
        switch values.count {
        case 0:
            return { a in
                let f = try callee(a)
                if case .function(let c) = f, let u = c as? UserFunction, u.code.isFastCallable(0) {
                    do { return try u.code.invokeFast(u, { _ in }, at: span) } catch {
                        throw runtime.annotate(error, calling: u.name, at: span)
                    }
                }
                return try general(a, f)
            }
        case 1:
            if let fixedFunction {
                return { a in
                    if let known = fixedFunction.pointee {
                        let result: Value? = try known._withUnsafeGuaranteedRef { u in
                            guard u.code.isFastCallable(1) else { return nil }
                            let v0 = try a0(a)
                            do { return try u.code.invokeFast(u, { $0.initialize(to: v0) }, at: span) } catch {
                                throw runtime.annotate(error, calling: u.name, at: span)
                            }
                        }
                        if let result { return result }
                    }
                    return try general(a, try callee(a))
                }
            }
            return { a in
                let f = try callee(a)
                if case .function(let c) = f, let u = c as? UserFunction, u.code.isFastCallable(1) {
                    let v0 = try a0(a)
                    do { return try u.code.invokeFast(u, { $0.initialize(to: v0) }, at: span) } catch {
                        throw runtime.annotate(error, calling: u.name, at: span)
                    }
                }
                return try general(a, f)
            }
        case 2:
            return { a in
                let f = try callee(a)
                if case .function(let c) = f, let u = c as? UserFunction, u.code.isFastCallable(2) {
                    let v0 = try a0(a), v1 = try a1(a)
                    do {
                        return try u.code.invokeFast(u, { $0.initialize(to: v0); ($0 + 1).initialize(to: v1) }, at: span)
                    } catch {
                        throw runtime.annotate(error, calling: u.name, at: span)
                    }
                }
                return try general(a, f)
            }
        default:
            return { a in try general(a, try callee(a)) }
        }
    }

    /// Arity and keyword checks for calls to top-level `fn`s known at compile time.
    private func checkStaticCall(_ calleeExpr: Expr, _ arguments: [Argument]) {
        guard case .name(let n) = calleeExpr.kind, case .global(let slot)? = resolve(n),
              slot.kind == .function, let decl = slot.function else { return }
        let names = decl.parameters.map(\.name.name)
        let signature = "\(n)(\(decl.parameters.map { $0.defaultValue == nil ? $0.name.name : $0.name.name + ":" }.joined(separator: ", ")))"
        let positional = arguments.filter { $0.label == nil }.count
        var given = Set(names.prefix(positional))
        if positional > names.count {
            error("too many arguments to `\(n)`: expected at most \(names.count), got \(positional)", at: calleeExpr.span,
                  help: "the signature is `\(signature)`")
            return
        }
        for arg in arguments {
            guard let label = arg.label else { continue }
            if !names.contains(label.name) {
                diagnostics.append(unknownArgument(label, candidates: names, callee: n, signature: signature))
            } else if given.contains(label.name) {
                error("argument `\(label.name)` given twice", at: label.span, help: "the signature is `\(signature)`")
            }
            given.insert(label.name)
        }
        for p in decl.parameters where p.defaultValue == nil && !given.contains(p.name.name) {
            error("missing argument `\(p.name.name)` in call to `\(n)`", at: calleeExpr.span,
                  help: "the signature is `\(signature)`")
        }
    }
}

extension FunctionCode {
    /// Whether `count` positional arguments can go straight into stack slots.
    @inline(__always)
    func isFastCallable(_ count: Int) -> Bool {
        parametersOnStack && environmentSize == nil && parameters.count == count
    }
}
