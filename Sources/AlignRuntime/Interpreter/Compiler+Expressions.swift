import AlignSyntax

/// Expressions. `tail` is true when the expression's value is the value of the enclosing
/// function, so a `return` inside an `if` there needs no flow signal.
extension Compiler {
    func compile(_ e: Expr, tail: Bool = false) -> Eval {
        let span = e.span
        switch e.kind {
        case .null: return { _ in .null }
        case .bool(let b):
            let v = Value.bool(b)
            return { _ in v }
        case .int(let i):
            let v = Value.int(i)
            return { _ in v }
        case .float(let d):
            let v = Value.float(d)
            return { _ in v }
        case .string(let parts): return compileString(parts)
        case .name(let n): return compileName(n, at: span)
        case .list(let items):
            if items.count == 1 {
                let only = compile(items[0])
                return { a in .list([try only(a)]) }
            }
            let evals = items.map { compile($0) }
            return { a in
                var out: [Value] = []
                out.reserveCapacity(evals.count)
                for f in evals { out.append(try f(a)) }
                return .list(out)
            }
        case .record(let fields): return compileRecord(fields)
        case .unary(let op, let x): return compileUnary(op, x, at: span)
        case .binary(let op, let l, let r): return compileBinary(op, l, r, at: span)
        case .call(let callee, let args): return compileCall(callee, args, at: span)
        case .index(let base, let index):
            let b = compile(base), i = compile(index)
            let indexSpan = index.span
            return { a in try Indexing.index(try b(a), try i(a), at: span, indexSpan: indexSpan) }
        case .slice(let base, let lower, let upper):
            let b = compile(base)
            let lo = compileOptional(lower), hi = compileOptional(upper)
            return { a in
                let v = try b(a)
                return try Indexing.slice(v, lower: try lo(a), upper: try hi(a), at: span)
            }
        case .member(let base, let id):
            let b = compileMemberBase(base, id)
            let name = id.name, nameSpan = id.span
            return { a in try Indexing.member(try b(a), name, at: nameSpan) }
        case .lambda(let parameters, let body):
            return compileFunction(name: "<lambda>", kind: .lambda, parameters: parameters,
                                   body: .expression(body), span: span)
        case .ifElse(let condition, let then, let elseBranch):
            return compileIfValue(condition, then, elseBranch, tail: tail)
        case .block(let b): return compileValueBlock(b, tail: tail)
        case .run(let name, let source, let row, let body):
            return compileRun(name: name, source: source, row: row, body: body, at: span)
        }
    }

    /// Interpolation uses `displayString`, which renders a list of objectives as their texts
    /// joined with "; " (the form aligner prompts list objectives in).
    func compileString(_ parts: [StringPart]) -> Eval {
        if parts.count == 1, case .text(let t) = parts[0] {
            let v = Value.string(t)
            return { _ in v }
        }
        enum Piece { case text(String), value(Eval) }
        let pieces: [Piece] = parts.map {
            switch $0 {
            case .text(let t): .text(t)
            case .interpolation(let x): .value(compile(x))
            }
        }
        return { a in
            var s = ""
            for p in pieces {
                switch p {
                case .text(let t): s += t
                case .value(let f): s += try f(a).displayString
                }
            }
            return .string(s)
        }
    }

    /// An optional expression as a closure giving `null` when absent. (`Optional.map` would
    /// hand back the closure re-wrapped in a thunk, slowing every call.)
    func compileOptional(_ e: Expr?, tail: Bool = false) -> Eval {
        if let e { return compile(e, tail: tail) }
        return { _ in .null }
    }

    func compileRecord(_ fields: [RecordField]) -> Eval {
        var seen: [String: SourceSpan] = [:]
        for f in fields {
            if let first = seen[f.key.name] {
                error("duplicate field `\(f.key.name)` in record", at: f.key.span, label: "again here",
                      help: "the first is at \(first.description)")
            }
            seen[f.key.name] = f.key.span
        }
        let keys = fields.map(\.key.name)
        let values = fields.map { compile($0.value) }
        return { a in
            var r = Record()
            for (k, f) in zip(keys, values) { r[k] = try f(a) }
            return .record(r)
        }
    }

    /// `m.x` on a module bound by `import` is checked statically.
    func compileMemberBase(_ base: Expr, _ id: Identifier) -> Eval {
        if case .name(let n) = base.kind, case .global(let slot)? = resolve(n), let module = slot.module,
           slot.kind == .importedName, !module.exportNames.contains(id.name) {
            let help = Suggestion.closest(to: id.name, among: module.exportNames).map { "did you mean `\($0)`?" }
            error("module `\(module.name)` has no member `\(id.name)`", at: id.span, label: "not in the module", help: help)
        }
        return compile(base)
    }

    func compileUnary(_ op: UnaryOperator, _ x: Expr, at span: SourceSpan) -> Eval {
        let f = compile(x)
        switch op {
        case .not:
            return { a in
                let v = try f(a)
                if case .bool(let b) = v { return .bool(!b) }
                return .bool(!v.isTruthy)
            }
        case .negate:
            return { a in try Operators.negate(try f(a), at: span) }
        }
    }

    func compileIfValue(_ condition: Expr, _ then: Block, _ elseBranch: Expr?, tail: Bool) -> Eval {
        let c = compile(condition)
        let t = compileValueBlock(then, tail: tail)
        // Not optional: an optional closure is called through a thunk.
        let e = compileOptional(elseBranch, tail: tail)
        return { a in
            let v = try c(a)
            let truth: Bool
            if case .bool(let b) = v { truth = b } else { truth = v.isTruthy }
            return truth ? try t(a) : try e(a)
        }
    }

    /// A block whose value is used: its last expression statement, else `null`.
    func compileValueBlock(_ block: Block, tail: Bool) -> Eval {
        pushBlock()
        defer { popBlock() }
        var statements = block.statements[...]
        var final: Stmt?
        if let l = statements.last {
            switch l.kind {
            case .expression: final = l
            case .returnStatement where tail: final = l
            default: break
            }
        }
        if final != nil { statements = statements.dropLast() }
        let flowsBefore = flowStatements
        let body = compileSequence(statements)
        let bodyMayLeave = flowStatements > flowsBefore
        let last: Eval
        switch final?.kind {
        case .expression(let e)?: last = compile(e, tail: tail)
        case .returnStatement(let e)?:
            flowStatements += 1
            last = compileOptional(e, tail: true)
        default: last = { _ in .null }
        }
        if statements.isEmpty { return last }
        if !bodyMayLeave {
            return { a in
                _ = try body(a)
                return try last(a)
            }
        }
        if !tail { flowSignalSites += 1 }
        let registers = machine.registers
        return { a in
            let flow = try body(a)
            if flow == .normal { return try last(a) }
            if tail && flow == .returned {
                let v = registers.pointee.returnValue
                registers.pointee.returnValue = .null
                return v
            }
            throw FlowSignal(flow: flow)
        }
    }
}
