import AlignMetrics
import AlignRuntime

/// Numbers: everything summary.json records, a summary of each numeric output column, and win
/// rates of judge-outcome columns.
extension RunReport {
    func metricsSection() -> String {
        var out = section("metrics", "Metrics")
        if let summary = run.summary {
            out += "<h3>summary.json</h3><table class=\"grid\"><thead><tr><th>metric</th><th>value</th></tr></thead><tbody>"
            for (path, value) in summary.flattened() {
                let cell = value.numeric != nil ? "<td class=\"num\">\(HTML.escape(NumberFormat.exact(value)))</td>"
                                                : "<td>\(ValueHTML.render(value, depth: 1))</td>"
                out += "<tr><th>\(HTML.escape(path))</th>\(cell)</tr>"
            }
            out += "</tbody></table>"
        } else {
            out += "<p class=\"note\">No summary.json: the run did not finish; the numbers below are over the rows written so far.</p>"
        }
        let summaries = columns.numeric.compactMap { name in
            table.column(name).flatMap { NumericSummary(RunColumns.numbers($0)) }.map { (name, $0) }
        }
        guard !summaries.isEmpty else { return out }
        out += "<h3>Numeric columns</h3><table class=\"grid\"><thead><tr>"
        out += ["column", "n", "mean", "sd", "min", "median", "max"].map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>"
        for (name, s) in summaries {
            let cells = [s.mean, s.standardDeviation, s.minimum, s.median, s.maximum].map {
                "<td class=\"num\">\(HTML.escape(NumberFormat.short($0)))</td>"
            }
            out += "<tr><th>\(HTML.escape(name))</th><td class=\"num\">\(s.count)</td>" + cells.joined() + "</tr>"
        }
        return out + "</tbody></table>"
    }

    /// Wins, ties and losses with the Wilson interval of the win rate, overall and per group.
    func winRateSection() -> String {
        guard !columns.outcomes.isEmpty else { return "" }
        var out = section("win-rates", "Win rates")
        out += "<p class=\"sub\">Ties are kept apart; the interval is Wilson's 95% interval of the win rate.</p>"
        for name in columns.outcomes {
            guard let values = table.column(name), let verdicts = RunColumns.verdicts(values, column: name),
                  let overall = try? WinRate(verdicts: verdicts.compactMap { $0 }) else { continue }
            var rows = winRateRow("all rows", overall), charts = ""
            for group in columns.groups {
                var bars: [SVGChart.Bar] = []
                for (label, indices) in groupIndices(group) {
                    guard let rate = try? WinRate(verdicts: indices.compactMap { verdicts[$0] }) else { continue }
                    rows += winRateRow("\(group) = \(label)", rate)
                    let interval = rate.winRateInterval
                    bars.append(SVGChart.Bar(label: label, value: rate.winRate, low: interval.lowerBound,
                                             high: interval.upperBound, note: "n=\(rate.total)"))
                }
                if bars.count > 1 {
                    let title = "win rate of \(name) by \(group)"
                    charts += "<h3>\(HTML.escape(title))</h3>" + SVGChart.bars(bars, title: title)
                }
            }
            out += "<h3>\(HTML.escape(name))</h3><table class=\"grid\"><thead><tr>"
            out += ["group", "n", "wins", "ties", "losses", "win rate", "95% interval", "(wins+ties)/n"].map { "<th>\($0)</th>" }.joined()
            out += "</tr></thead><tbody>" + rows + "</tbody></table>" + charts
        }
        return out
    }

    private func winRateRow(_ label: String, _ rate: WinRate) -> String {
        let interval = rate.winRateInterval
        let cells = ["\(rate.total)", "\(rate.wins)", "\(rate.ties)", "\(rate.losses)", NumberFormat.short(rate.winRate),
                     "[\(NumberFormat.short(interval.lowerBound)), \(NumberFormat.short(interval.upperBound))]",
                     NumberFormat.short(rate.seedRatio)]
        return "<tr><th>\(HTML.escape(label))</th>" + cells.map { "<td class=\"num\">\(HTML.escape($0))</td>" }.joined() + "</tr>"
    }

    /// Row indices of each value of a grouping column, groups in first-seen order.
    func groupIndices(_ column: String) -> [(label: String, indices: [Int])] {
        guard let values = table.column(column) else { return [] }
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for (i, v) in values.enumerated() {
            guard case .string(let s) = v else { continue }
            if members[s] == nil { order.append(s) }
            members[s, default: []].append(i)
        }
        return order.map { ($0, members[$0] ?? []) }
    }
}
