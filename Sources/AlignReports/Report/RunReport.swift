import AlignRuntime

/// A self-contained HTML page about one run: its manifest, metrics, charts and a browsable
/// sample of its rows. Inline CSS and SVG only, no network; every piece of run data is escaped.
public struct RunReport: Sendable {
    public let run: RecordedRun
    /// How many rows the sample table shows (the first ones, in file order).
    public let sampleSize: Int
    let table: Table
    let columns: RunColumns

    public static let defaultSampleSize = 200

    public init(run: RecordedRun, sampleSize: Int = RunReport.defaultSampleSize) {
        self.run = run
        self.sampleSize = max(sampleSize, 0)
        table = run.table
        columns = RunColumns(table)
    }

    /// The whole page.
    public func html() -> String {
        var body = header()
        body += manifestSection()
        body += metricsSection()
        body += winRateSection()
        body += chartsSection()
        body += rowsSection()
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape("Run " + run.name))</title>
        <style>\(ReportStyle.css)</style></head>
        <body>\(body)
        <script>\(ReportStyle.script)</script>
        </body></html>

        """
    }

    /// Writes the page to `path` atomically (a temporary file renamed over it).
    public func write(to path: String) throws {
        do {
            try DataFile.writeAtomically(Array(html().utf8), to: path)
        } catch let e as DataIOError {
            throw ReportError.cannotWrite(path: path, reason: e.message)
        }
    }

    /// The default place of a run's report: `report.html` inside the run folder.
    public static func defaultPath(for folder: String) -> String { SourceFiles.join(folder, "report.html") }

    private func header() -> String {
        var out = "<h1>Run \(HTML.escape(run.name))</h1>"
        var facts = ["folder " + run.folder, "\(run.rows.count) row\(run.rows.count == 1 ? "" : "s")"]
        if case .string(let s)? = run.manifest?["started"] { facts.append("started " + s) }
        switch run.manifest?["finished"] {
        case .string(let s)?: facts.append("finished " + s)
        default: facts.append("not finished")
        }
        out += "<p class=\"sub\">\(HTML.escape(facts.joined(separator: " · ")))</p>"
        for note in run.notes { out += "<p class=\"note\">\(HTML.escape(note))</p>" }
        return out
    }

    /// A section heading with an anchor.
    func section(_ id: String, _ title: String) -> String {
        "<h2 id=\"\(id)\">\(HTML.escape(title))</h2>"
    }
}
