import AlignSyntax

/// `run "name" over TABLE as row { … }`: the body runs once per row and its record becomes
/// that row of the resulting table.
extension Compiler {
    func compileRun(name: Expr, source: Expr, row: Identifier, body: Block, at span: SourceSpan) -> Eval {
        let n = compile(name), src = compile(source)
        pushBlock()
        let store = localStore(declareLocal(row, kind: .loopVariable))
        // `break`/`continue` cannot leave a run's body.
        let outerLoops = context.loopDepth
        context.loopDepth = 0
        let evaluate = compileValueBlock(body, tail: false)
        context.loopDepth = outerLoops
        popBlock()
        let machine = self.machine
        let nameSpan = name.span, sourceSpan = source.span, bodySpan = body.span
        return { a in
            let nameValue = try n(a)
            guard case .string(let runName) = nameValue, !runName.isEmpty else {
                throw Diagnostic.error("a run's name must be a non-empty string, found \(nameValue.typeName)", at: nameSpan)
            }
            let input = try RunInput.table(from: try src(a), at: sourceSpan)
            var rows: [Record] = []
            rows.reserveCapacity(input.rowCount)
            for i in 0..<input.rowCount {
                try machine.step(at: span)
                store(a, .record(input.row(i)))
                let v = try evaluate(a)
                guard case .record(let r) = v else {
                    throw Diagnostic.error("the body of run `\(runName)` must end in a record, found \(v.typeName)", at: bodySpan,
                                           help: "end the block with a record such as `{query: row.query, answer: a}`")
                }
                rows.append(r)
            }
            return .table(Table(rows: rows))
        }
    }
}

/// What a run may iterate over: a table, or a list of records.
enum RunInput {
    static func table(from v: Value, at span: SourceSpan) throws -> Table {
        switch v {
        case .table(let t): return t
        case .list(let xs):
            var rows: [Record] = []
            for x in xs {
                guard case .record(let r) = x else {
                    throw Diagnostic.error("a run goes over a table or a list of records; this list holds a \(x.typeName)", at: span)
                }
                rows.append(r)
            }
            return Table(rows: rows)
        default:
            throw Diagnostic.error("a run goes over a table or a list of records, found \(v.typeName)", at: span)
        }
    }
}
