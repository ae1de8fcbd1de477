import AlignSyntax

/// `for` and `while`. `for` walks a list's elements, a string's characters, a table's rows (as
/// records) and a record's keys; the iterable is evaluated once, so changing it inside the loop
/// does not change the iteration.
extension Compiler {
    func compileFor(_ variable: Identifier, _ iterable: Expr, _ body: Block, at span: SourceSpan) -> Exec {
        let source = compile(iterable)
        pushBlock()
        defer { popBlock() }
        let store = localStore(declareLocal(variable, kind: .loopVariable))
        context.loopDepth += 1
        let run = compileBlock(body)
        context.loopDepth -= 1
        let machine = self.machine
        let iterableSpan = iterable.span
        // Returns nil to keep going, or the flow that ends the loop.
        @inline(__always) func iteration(_ a: Activation, _ v: Value) throws -> Flow? {
            try machine.step(at: span)
            store(a, v)
            switch try run(a) {
            case .normal, .continueLoop: return nil
            case .breakLoop: return .normal
            case .returned: return .returned
            }
        }
        return { a in
            let collection = try source(a)
            switch collection {
            case .list(let xs):
                for x in xs { if let f = try iteration(a, x) { return f } }
            case .string(let s):
                for ch in s { if let f = try iteration(a, .string(String(ch))) { return f } }
            case .table(let t):
                for i in 0..<t.rowCount { if let f = try iteration(a, .record(t.row(i))) { return f } }
            case .record(let r):
                for k in r.keys { if let f = try iteration(a, .string(k)) { return f } }
            default:
                throw Diagnostic.error("cannot iterate over a value of type \(collection.typeName)", at: iterableSpan,
                                       help: "`for` walks lists, strings, tables (rows) and records (keys)")
            }
            return .normal
        }
    }

    func compileWhile(_ condition: Expr, _ body: Block, at span: SourceSpan) -> Exec {
        let c = compile(condition)
        context.loopDepth += 1
        let run = compileBlock(body)
        context.loopDepth -= 1
        let machine = self.machine
        return { a in
            while true {
                let v = try c(a)
                if case .bool(let b) = v { if !b { break } } else if !v.isTruthy { break }
                try machine.step(at: span)
                switch try run(a) {
                case .normal, .continueLoop: continue
                case .breakLoop: return .normal
                case .returned: return .returned
                }
            }
            return .normal
        }
    }
}
