/// Per-group bar charts of each numeric column's mean, and a histogram of each numeric column.
extension RunReport {
    /// More charts than this per kind would bury the page; the tables above still list every column.
    static let maximumCharts = 12

    func chartsSection() -> String {
        var charts = ""
        var drawn = 0
        for group in columns.groups {
            let members = groupIndices(group)
            guard members.count > 1 else { continue }
            for name in columns.numeric where drawn < Self.maximumCharts {
                guard let values = table.column(name) else { continue }
                let bars = members.compactMap { label, indices -> SVGChart.Bar? in
                    let xs = RunColumns.numbers(indices.map { values[$0] })
                    guard let s = NumericSummary(xs) else { return nil }
                    let margin = s.count > 1 ? 1.96 * s.standardDeviation / Double(s.count).squareRoot() : 0
                    return SVGChart.Bar(label: label, value: s.mean, low: s.mean - margin, high: s.mean + margin, note: "n=\(s.count)")
                }
                guard bars.count > 1 else { continue }
                let title = "mean \(name) by \(group)"
                charts += "<h3>\(HTML.escape(title))</h3>" + SVGChart.bars(bars, title: title)
                drawn += 1
            }
        }
        if drawn > 0 {
            charts = "<p class=\"sub\">Whiskers: mean ± 1.96 standard errors.</p>" + charts
        }
        for name in columns.numeric.prefix(Self.maximumCharts) {
            guard let values = table.column(name), let histogram = Histogram(RunColumns.numbers(values)) else { continue }
            let title = "distribution of \(name)"
            charts += "<h3>\(HTML.escape(title))</h3>" + SVGChart.histogram(histogram, title: title)
        }
        return charts.isEmpty ? "" : section("charts", "Charts") + charts
    }
}
