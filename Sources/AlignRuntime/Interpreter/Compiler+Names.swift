import AlignSyntax

/// Reading and writing variables by resolved storage.
extension Compiler {
    func compileName(_ name: String, at span: SourceSpan) -> Eval {
        guard let resolution = resolve(name) else { return unknownName(name, at: span) }
        switch resolution {
        case .local(.stack(let i), let hops, _):
            if hops != 0 { return failed("internal: `\(name)` is captured but was not moved to the heap", at: span) }
            return { a in a.base[i] }
        case .local(.environment(let i), let hops, _):
            if hops == 0 { return { a in a.environment.unsafelyUnwrapped.slots[i] } }
            return { a in a.environment.unsafelyUnwrapped.ancestor(hops).slots[i] }
        case .global(let slot):
            if isTopLevelCode && !slot.isDefinedStatically {
                return failed("`\(name)` is used before it is defined", at: span, label: "defined later",
                              help: "the definition is at \(slot.span.description); move it above this line")
            }
            let cell = slot.cell
            if slot.isDefinedStatically && (slot.kind == .function || slot.kind == .prompt) {
                return { _ in cell.pointee }
            }
            let initialized = slot.isInitialized
            let definition = slot.span.description
            return { _ in
                guard initialized.pointee else {
                    throw Diagnostic.error("`\(name)` is used before it is defined", at: span,
                                           help: "its definition at \(definition) has not run yet")
                }
                return cell.pointee
            }
        case .builtin(let b):
            let v = Value.function(b)
            return { _ in v }
        }
    }

    /// Where an assignment to `name` writes, or a diagnostic when it may not be assigned.
    func compileVariableAddress(_ name: String, at span: SourceSpan) -> ((Activation) throws -> UnsafeMutablePointer<Value>)? {
        guard let resolution = resolve(name) else {
            _ = unknownName(name, at: span)
            return nil
        }
        switch resolution {
        case .local(let storage, let hops, let kind):
            guard kind.isAssignable else {
                notAssignable(name, kind: kind, at: span)
                return nil
            }
            switch storage {
            case .stack(let i):
                if hops != 0 { return nil }
                return { a in a.base + i }
            case .environment(let i):
                return { a in a.environment.unsafelyUnwrapped.ancestor(hops).slots + i }
            }
        case .global(let slot):
            guard slot.kind.isAssignable else {
                notAssignable(name, kind: slot.kind, at: span)
                return nil
            }
            if isTopLevelCode && !slot.isDefinedStatically {
                error("`\(name)` is used before it is defined", at: span, label: "defined later",
                      help: "the definition is at \(slot.span.description); move it above this line")
                return nil
            }
            let cell = slot.cell, initialized = slot.isInitialized
            return { _ in
                guard initialized.pointee else {
                    throw Diagnostic.error("`\(name)` is used before it is defined", at: span)
                }
                return cell
            }
        case .builtin:
            error("cannot assign to built-in `\(name)`", at: span, label: "a built-in function",
                  help: "define a new name with `let` or `var` instead")
            return nil
        }
    }

    func notAssignable(_ name: String, kind: BindingKind, at span: SourceSpan) {
        let help: String
        switch kind {
        case .letBinding: help = "declare it with `var \(name) = …` to allow reassignment"
        case .loopVariable: help = "copy it into a `var` inside the loop to change it"
        default: help = "introduce a new `var` holding a copy"
        }
        error("cannot assign to `\(name)`: it is \(kind.definedWith)", at: span, label: "cannot assign", help: help)
    }

    /// Stores a declaration's value into its fresh local.
    func localStore(_ storage: LocalStorage) -> (Activation, Value) -> Void {
        switch storage {
        case .stack(let i): return { a, v in a.base[i] = v }
        case .environment(let i): return { a, v in a.environment.unsafelyUnwrapped.slots[i] = v }
        }
    }

    /// Declares `id` here (global at the top level, else a local) and returns its initialiser.
    func declare(_ id: Identifier, kind: BindingKind) -> (Activation, Value) -> Void {
        if context.declaresGlobals {
            let slot = declareGlobal(id, kind: kind)
            slot.isDefinedStatically = true
            return { _, v in slot.define(v) }
        }
        return localStore(declareLocal(id, kind: kind))
    }
}
