import AlignRuntime

/// The plain-text form `align diff` prints.
extension RunDiff {
    /// More changed fields than this per section are counted, not listed (a changed model can
    /// change every file hash).
    static let maximumFieldLines = 40

    public func text() -> String {
        var out = "A  \(describe(a))\nB  \(describe(b))\n"
        if fields.isEmpty && sources.isEmpty {
            out += "\nno changes in params, models, settings, script, modules or prompts\n"
        }
        for section in ["params", "models", "settings"] {
            let changes = fields.filter { $0.section == section }
            guard !changes.isEmpty else { continue }
            out += "\n\(section)\n"
            for change in changes.prefix(Self.maximumFieldLines) {
                switch (change.before, change.after) {
                case (let x?, let y?): out += "  \(change.key): \(Self.show(x)) → \(Self.show(y))\n"
                case (let x?, nil): out += "  - \(change.key): \(Self.show(x))\n"
                case (nil, let y?): out += "  + \(change.key): \(Self.show(y))\n"
                case (nil, nil): break
                }
            }
            if changes.count > Self.maximumFieldLines { out += "  … \(changes.count - Self.maximumFieldLines) more\n" }
        }
        for source in sources {
            out += "\n\(source.kind) \(source.name) \(source.status)\n" + source.diff
        }
        return out + metricsText()
    }

    private func metricsText() -> String {
        guard !metrics.isEmpty else { return "\nno metric both runs have\n" }
        let pairing = pairedRows.map { "rows paired by input hash (\($0) pairs)" } ?? "rows unpaired (not every row has a partner with the same input hash)"
        var out = "\nmetrics (Δ = B − A; \(NumberFormat.short(options.confidence * 100, places: 1))% bootstrap intervals, "
        out += "\(options.resamples) resamples, seed \(options.seed); \(pairing))\n"
        var lines = [["metric", "kind", "A", "B", "Δ", "interval", "n A", "n B"]]
        for m in metrics {
            let interval = m.interval.map { "[\(NumberFormat.signed($0.low)), \(NumberFormat.signed($0.high))]" } ?? ""
            lines.append([m.name, m.kind, NumberFormat.short(m.a), NumberFormat.short(m.b), NumberFormat.signed(m.delta), interval,
                          m.countA.map(String.init) ?? "", m.countB.map(String.init) ?? ""])
        }
        let widths = (0..<lines[0].count).map { k in lines.map { $0[k].count }.max() ?? 0 }
        for line in lines {
            let cells = line.enumerated().map { k, cell in cell + String(repeating: " ", count: widths[k] - cell.count) }
            out += "  " + String(cells.joined(separator: "  ").reversed().drop { $0 == " " }.reversed()) + "\n"
        }
        return out
    }

    private func describe(_ run: RecordedRun) -> String {
        var facts = [run.folder, "run \(Value.quote(run.name))", "\(run.rows.count) rows"]
        if case .string(let s)? = run.manifest?["finished"] { facts.append("finished " + s) } else { facts.append("not finished") }
        return facts.joined(separator: " · ")
    }

    /// A value as JSON on one line, cut to a readable length.
    static func show(_ v: Value) -> String {
        let text = ((try? JSON.encode(v)) ?? v.displayString).split(whereSeparator: \.isNewline).joined(separator: " ")
        return text.count > 100 ? String(text.prefix(99)) + "…" : text
    }
}
