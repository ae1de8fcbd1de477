import AlignSyntax

/// `run "name" over TABLE as row { … }`: the body runs once per row and its record becomes
/// that row of the resulting table; rows are saved as they finish in `runs/<name>/`, and a
/// rerun of the same script, params and models reuses saved rows whose input hash (row and
/// body text) is unchanged (see `RunSession` for the policy when something changed).
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
        let machine = self.machine, runtime = self.runtime
        let nameSpan = name.span, sourceSpan = source.span, bodySpan = body.span
        let bodyText = body.span.text
        return { a in
            let nameValue = try n(a)
            guard case .string(let runName) = nameValue, !runName.isEmpty else {
                throw Diagnostic.error("a run's name must be a non-empty string, found \(nameValue.typeName)", at: nameSpan)
            }
            let input = try RunInput.table(from: try src(a), at: sourceSpan)
            let provenance = runtime.provenance()
            let session = try RunSession(directory: runtime.runsDirectory, name: runName, provenance: provenance,
                                         inputRows: input.rowCount, at: nameSpan)
            defer { session.close() }
            var counts = RunCounts(input: input.rowCount)
            var rows: [Record] = []
            rows.reserveCapacity(input.rowCount)
            var order: [String] = []
            var done: [String: Record] = session.folder.previous.mapValues { $0.output }
            var inFile = Set<String>()
            var progress = RunProgress(name: runName, total: input.rowCount, sink: runtime.progressSink)
            defer { if progress.sink != nil { runtime.progressSink?("") } }
            for i in 0..<input.rowCount {
                progress.update(done: i, computed: counts.computed)
                try machine.step(at: span)
                let inputRow = input.row(i)
                let hash = provenance.inputHash(row: inputRow, body: bodyText)
                if inFile.insert(hash).inserted { order.append(hash) }
                if let saved = done[hash] {
                    rows.append(saved)
                    counts.reused += 1
                    continue
                }
                store(a, .record(inputRow))
                let v = try evaluate(a)
                guard case .record(let r) = v else {
                    throw Diagnostic.error("the body of run `\(runName)` must end in a record, found \(v.typeName)", at: bodySpan,
                                           help: "end the block with a record such as `{query: row.query, answer: a}`")
                }
                try session.folder.append(inputHash: hash, output: r, at: bodySpan)
                done[hash] = r
                rows.append(r)
                counts.computed += 1
            }
            progress.update(done: input.rowCount, computed: counts.computed)
            let result = Table(rows: rows)
            try session.finish(counts: counts, order: order, columns: result.columnNames, at: nameSpan)
            RunSettings.current.summary?(progress.summary(counts, folder: session.folder.path))
            return .table(result)
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
