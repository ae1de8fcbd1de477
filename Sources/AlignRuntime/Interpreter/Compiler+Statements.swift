import AlignSyntax

/// Statements and blocks run for their effect; each returns how it finished (`Flow`).
extension Compiler {
    func compileStatement(_ s: Stmt) -> Exec {
        let signalsBefore = flowSignalSites
        let exec = compileStatementKind(s)
        guard flowSignalSites > signalsBefore else { return exec }
        // A `break`/`continue`/`return` inside an `if` used as a value comes back as a signal.
        flowSignalSites = signalsBefore
        return { a in
            do { return try exec(a) } catch let signal as FlowSignal { return signal.flow }
        }
    }

    private func compileStatementKind(_ s: Stmt) -> Exec {
        switch s.kind {
        case .expression(let e):
            if case .ifElse(let c, let t, let e) = e.kind { return compileIfStatement(c, t, e) }
            let f = compile(e)
            return { a in _ = try f(a); return .normal }
        case .binding(let mutable, let name, let value):
            let v = compile(value)
            let store = declare(name, kind: mutable ? .varBinding : .letBinding)
            return { a in store(a, try v(a)); return .normal }
        case .assignment(let target, let op, let value):
            return compileAssignment(target, op, value, at: s.span)
        case .function(let decl): return compileFunctionStatement(decl, kind: .function, at: s.span)
        case .prompt(let decl): return compileFunctionStatement(decl, kind: .prompt, at: s.span)
        case .objective(let name, let text):
            let t = compile(text)
            let store = declare(name, kind: .objective)
            let textSpan = text.span, objectiveName = name.name
            return { a in
                let v = try t(a)
                guard case .string(let s) = v else {
                    throw Diagnostic.error("an objective's text must be a string, found \(v.typeName)", at: textSpan)
                }
                store(a, .objective(Objective(name: objectiveName, text: s)))
                return .normal
            }
        case .param(let name, let defaultValue): return compileParam(name, defaultValue, at: s.span)
        case .importModule(let ref, let alias): return compileImport(ref, alias: alias, at: s.span)
        case .importNames(let ref, let names): return compileFromImport(ref, names, at: s.span)
        case .forLoop(let variable, let iterable, let body): return compileFor(variable, iterable, body, at: s.span)
        case .whileLoop(let condition, let body): return compileWhile(condition, body, at: s.span)
        case .returnStatement(let e):
            if context.isTopLevel {
                error("`return` outside a function", at: s.span, help: "a script ends when its last statement has run")
                return { _ in .normal }
            }
            flowStatements += 1
            let v = compileOptional(e)
            let registers = machine.registers
            return { a in
                registers.pointee.returnValue = try v(a)
                return .returned
            }
        case .breakStatement, .continueStatement:
            let isBreak: Bool
            if case .breakStatement = s.kind { isBreak = true } else { isBreak = false }
            if context.loopDepth == 0 {
                error("`\(isBreak ? "break" : "continue")` outside a loop", at: s.span)
                return { _ in .normal }
            }
            flowStatements += 1
            let flow: Flow = isBreak ? .breakLoop : .continueLoop
            return { _ in flow }
        }
    }

    /// Runs statements in a new scope; stops at the first one that breaks, continues or returns.
    func compileBlock(_ block: Block) -> Exec {
        pushBlock()
        defer { popBlock() }
        return compileSequence(block.statements[...])
    }

    /// One closure running `statements` in order. Closures are chained rather than kept in an
    /// array: a closure taken out of an array is called through a reabstraction thunk (and
    /// returns its value indirectly), which costs on every iteration of a loop body.
    func compileSequence(_ statements: ArraySlice<Stmt>) -> Exec {
        guard let first = statements.first else { return { _ in .normal } }
        let flowsBefore = flowStatements
        let head = compileStatement(first)
        if statements.count == 1 { return head }
        let mayLeave = flowStatements > flowsBefore
        let rest = compileSequence(statements.dropFirst())
        if mayLeave {
            return { a in
                let flow = try head(a)
                if flow != .normal { return flow }
                return try rest(a)
            }
        }
        return { a in
            _ = try head(a)
            return try rest(a)
        }
    }

    func compileIfStatement(_ condition: Expr, _ then: Block, _ elseBranch: Expr?) -> Exec {
        let c = compile(condition)
        let t = compileBlock(then)
        var e: Exec = { _ in .normal }
        if let elseBranch {
            switch elseBranch.kind {
            case .ifElse(let c2, let t2, let e2): e = compileIfStatement(c2, t2, e2)
            case .block(let b): e = compileBlock(b)
            default:
                let f = compile(elseBranch)
                e = { a in _ = try f(a); return .normal }
            }
        }
        let otherwise = e
        return { a in
            let v = try c(a)
            let truth: Bool
            if case .bool(let b) = v { truth = b } else { truth = v.isTruthy }
            return truth ? try t(a) : try otherwise(a)
        }
    }

    private func compileFunctionStatement(_ decl: FunctionDecl, kind: FunctionCode.Kind, at span: SourceSpan) -> Exec {
        if kind == .prompt, case .block = decl.body {
            error("a prompt's body must be a string", at: decl.name.span, help: "write `prompt \(decl.name.name)(…) = \"…\"`")
        }
        if context.declaresGlobals, let slot = globals[decl.name.name], slot.span.start == decl.name.span.start {
            let code = compileFunctionCode(name: decl.name.name, kind: kind, parameters: decl.parameters,
                                           body: decl.body, span: span)
            hoisted.append((slot, { a in .function(UserFunction(code: code, captured: a.environment)) }))
            return { _ in .normal }
        }
        // Declared before the body so that it can call itself.
        let store = declare(decl.name, kind: kind == .prompt ? .prompt : .function)
        let make = compileFunction(name: decl.name.name, kind: kind, parameters: decl.parameters,
                                   body: decl.body, span: span)
        return { a in store(a, try make(a)); return .normal }
    }

    private func compileParam(_ name: Identifier, _ defaultValue: Expr, at span: SourceSpan) -> Exec {
        let d = compile(defaultValue)
        guard context.declaresGlobals else {
            error("`param` is only allowed at the top level of a script", at: span)
            declareLocal(name, kind: .param)
            return { _ in .normal }
        }
        let store = declare(name, kind: .param)
        if let override = options.paramOverrides[name.name] {
            usedOverrides.insert(name.name)
            return { a in store(a, override); return .normal }
        }
        return { a in store(a, try d(a)); return .normal }
    }
}
