import AlignSyntax

/// One run from start to end: locks its folder, applies the resume policy against the manifest
/// an earlier run left there, reads that run's rows, writes the starting manifest, collects the
/// model calls made meanwhile, and at the end settles `rows.jsonl`, the final manifest and
/// `summary.json`.
final class RunSession {
    let folder: RunFolder
    private(set) var manifest: RunManifest
    /// The call log's scope collecting this run's model calls (nil once closed).
    private var callScope: Int?

    init(directory: String, name: String, provenance: RunProvenance, inputRows: Int, at span: SourceSpan) throws {
        folder = try RunFolder(directory: directory, name: name, at: span)
        let identity = provenance.identity(models: LocalModelFacts.allLoaded)
        manifest = RunManifest(name: name, identity: identity, toolVersion: provenance.toolVersion,
                               started: RunClock.timestamp(), finished: nil, counts: RunCounts(input: inputRows))
        do {
            try applyResumePolicy(identity, at: span)
            try folder.openRows(at: span)
            try folder.writeJSON(manifest.value, named: RunFolder.manifestName, at: span)
        } catch {
            folder.close()
            throw error
        }
        callScope = ModelCallLog.shared.openScope()
    }

    deinit { close() }

    /// Releases the folder and stops collecting calls (also when the run failed part-way; its
    /// manifest then keeps `finished: null` and the next run resumes it).
    func close() {
        if let callScope { ModelCallLog.shared.closeScope(callScope) }
        callScope = nil
        folder.close()
    }

    private func applyResumePolicy(_ identity: Record, at span: SourceSpan) throws {
        let policy = RunSettings.current.resume
        let hasContent = SourceFiles.isRegularFile(SourceFiles.join(folder.path, RunFolder.manifestName))
            || SourceFiles.isRegularFile(folder.rowsPath)
        if policy == .fresh, RunSettings.claimFresh(folder.path) {
            if hasContent { manifest.movedAside = try folder.moveAside(at: span) }
            return
        }
        let previous: Record?
        do {
            previous = try folder.previousManifest(at: span)
        } catch {
            if policy == .ifUnchanged { throw error }
            manifest.resumedDespite = ["the earlier manifest could not be read"]
            return
        }
        guard let previous else { return }
        let changes = RunChanges.between(previous: previous, current: identity)
        guard !changes.isEmpty else { return }
        if policy == .ifUnchanged {
            throw Diagnostic.error("run `\(folder.name)` in `\(folder.path)` was made by a different setup: \(changes.joined(separator: "; "))",
                                   at: span,
                                   help: "`align run --resume` continues anyway (rows whose input and run body are unchanged are reused); `align run --fresh` starts over, keeping the old folder as `\(folder.name).old-<time>`")
        }
        manifest.resumedDespite = changes
    }

    /// Settles the files once every row is done; `order` is the input hash of each row, first
    /// occurrences in input order.
    func finish(counts: RunCounts, order: [String], columns: [String], at span: SourceSpan) throws {
        try folder.finishRows(order: order, at: span)
        manifest.counts = counts
        manifest.finished = RunClock.timestamp()
        if let callScope { manifest.calls = ModelCallLog.shared.summary(callScope) }
        try folder.writeJSON(manifest.value, named: RunFolder.manifestName, at: span)
        var summary = Record([("run", .string(folder.name)), ("rows", counts.record),
                              ("columns", .list(columns.map(Value.string))),
                              ("started", .string(manifest.started)), ("finished", .string(manifest.finished ?? ""))])
        summary["folder"] = .string(folder.path)
        summary["rows_file_lines"] = .int(order.count)
        summary["generated_tokens"] = .int(manifest.calls.generatedTokens)
        summary["model_calls"] = .int(manifest.calls.calls)
        try folder.writeJSON(.record(summary), named: "summary.json", at: span)
        close()
    }
}
