import AlignRuntime

/// The machine-readable form of `align diff --json`: one JSON object.
extension RunDiff {
    public func json() throws -> String {
        let fieldValues: [Value] = fields.map { change in
            .record(Record([("section", .string(change.section)), ("key", .string(change.key)),
                            ("before", change.before ?? .null), ("after", change.after ?? .null),
                            ("status", .string(change.before == nil ? "added" : change.after == nil ? "removed" : "changed"))]))
        }
        let sourceValues: [Value] = sources.map { s in
            .record(Record([("kind", .string(s.kind)), ("name", .string(s.name)), ("status", .string(s.status)),
                            ("diff", .string(s.diff))]))
        }
        let metricValues: [Value] = metrics.map { m in
            var r = Record([("name", .string(m.name)), ("kind", .string(m.kind)), ("a", .float(m.a)), ("b", .float(m.b)),
                            ("delta", .float(m.delta))])
            r["n_a"] = m.countA.map(Value.int) ?? .null
            r["n_b"] = m.countB.map(Value.int) ?? .null
            r["low"] = m.interval.map { .float($0.low) } ?? .null
            r["high"] = m.interval.map { .float($0.high) } ?? .null
            return .record(r)
        }
        let runs = { (run: RecordedRun) -> Value in
            .record(Record([("folder", .string(run.folder)), ("run", .string(run.name)), ("rows", .int(run.rows.count))]))
        }
        let bootstrap = Record([("confidence", .float(options.confidence)), ("resamples", .int(options.resamples)),
                                ("seed", .int(Int(truncatingIfNeeded: options.seed))),
                                ("paired_rows", pairedRows.map(Value.int) ?? .null)])
        let document = Record([("a", runs(a)), ("b", runs(b)), ("changes", .list(fieldValues)),
                               ("sources", .list(sourceValues)), ("bootstrap", .record(bootstrap)),
                               ("metrics", .list(metricValues))])
        return try JSON.encode(.record(document), indent: 2) + "\n"
    }
}
