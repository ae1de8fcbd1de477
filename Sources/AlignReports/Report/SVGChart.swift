/// Inline SVG charts: drawn here as markup so the report needs no script or network to show them.
/// All labels pass through `HTML.escape`; long ones are cut and keep the full text in a tooltip.
enum SVGChart {
    /// One bar of a bar chart, with an optional interval drawn as a whisker.
    struct Bar {
        var label: String
        var value: Double
        var low: Double? = nil
        var high: Double? = nil
        /// Printed after the value, such as `n=12`.
        var note: String = ""
    }

    static let labelWidth = 230.0, plotWidth = 360.0, valueWidth = 190.0, rowHeight = 24.0

    /// Horizontal bars, one row per bar (labels such as objective texts can be long).
    static func bars(_ bars: [Bar], title: String) -> String {
        let finite = bars.filter { $0.value.isFinite }
        guard !finite.isEmpty else { return "" }
        let extremes = finite.flatMap { [$0.value, $0.low ?? $0.value, $0.high ?? $0.value] }.filter(\.isFinite)
        let lo = min(0, extremes.min() ?? 0)
        var hi = max(0, extremes.max() ?? 0)
        if lo == hi { hi = lo + 1 }
        let x = { (v: Double) in labelWidth + (v - lo) / (hi - lo) * plotWidth }
        let height = Double(finite.count) * rowHeight + 30
        let width = labelWidth + plotWidth + valueWidth
        var svg = open(width: width, height: height, title: title)
        for (i, bar) in finite.enumerated() {
            let y = 8 + Double(i) * rowHeight
            let x0 = x(min(0, bar.value)), x1 = x(max(0, bar.value))
            svg += "<g><title>\(HTML.escape(bar.label))</title>"
            svg += "<text x=\"\(f(labelWidth - 6))\" y=\"\(f(y + 15))\" text-anchor=\"end\" class=\"lbl\">\(HTML.escape(cut(bar.label, 34)))</text></g>"
            svg += "<rect x=\"\(f(x0))\" y=\"\(f(y + 3))\" width=\"\(f(max(x1 - x0, 1)))\" height=\"\(f(rowHeight - 8))\" class=\"bar\"/>"
            if let low = bar.low, let high = bar.high, low.isFinite, high.isFinite {
                let mid = y + rowHeight / 2 - 1
                svg += "<path d=\"M\(f(x(low))) \(f(mid))H\(f(x(high)))M\(f(x(low))) \(f(mid - 5))v10M\(f(x(high))) \(f(mid - 5))v10\" class=\"whisker\"/>"
            }
            var text = NumberFormat.short(bar.value)
            if let low = bar.low, let high = bar.high { text += " [\(NumberFormat.short(low)), \(NumberFormat.short(high))]" }
            if !bar.note.isEmpty { text += "  " + bar.note }
            svg += "<text x=\"\(f(labelWidth + plotWidth + 6))\" y=\"\(f(y + 15))\" class=\"val\">\(HTML.escape(text))</text>"
        }
        let axisY = 8 + Double(finite.count) * rowHeight
        svg += "<path d=\"M\(f(x(0))) 4V\(f(axisY))\" class=\"axis\"/>"
        svg += "<text x=\"\(f(x(lo)))\" y=\"\(f(axisY + 16))\" class=\"tick\">\(HTML.escape(NumberFormat.short(lo)))</text>"
        svg += "<text x=\"\(f(x(hi)))\" y=\"\(f(axisY + 16))\" text-anchor=\"end\" class=\"tick\">\(HTML.escape(NumberFormat.short(hi)))</text>"
        return svg + "</svg>"
    }

    /// Vertical bars of a histogram's bin counts, with the range and the tallest count marked.
    static func histogram(_ histogram: Histogram, title: String) -> String {
        guard let peak = histogram.counts.max(), peak > 0 else { return "" }
        let width = 560.0, height = 170.0, left = 40.0, bottom = 140.0, top = 10.0
        let binWidth = (width - left - 10) / Double(histogram.counts.count)
        var svg = open(width: width, height: height, title: title)
        for (i, count) in histogram.counts.enumerated() {
            let h = Double(count) / Double(peak) * (bottom - top)
            let lo = histogram.edges[i], hi = histogram.edges[i + 1]
            svg += "<rect x=\"\(f(left + Double(i) * binWidth + 1))\" y=\"\(f(bottom - h))\" width=\"\(f(max(binWidth - 2, 1)))\" height=\"\(f(h))\" class=\"bar\">"
            svg += "<title>\(HTML.escape("\(NumberFormat.short(lo))–\(NumberFormat.short(hi)): \(count)"))</title></rect>"
        }
        svg += "<path d=\"M\(f(left)) \(f(bottom))H\(f(width - 10))M\(f(left)) \(f(top))V\(f(bottom))\" class=\"axis\"/>"
        svg += "<text x=\"\(f(left - 4))\" y=\"\(f(top + 8))\" text-anchor=\"end\" class=\"tick\">\(peak)</text>"
        svg += "<text x=\"\(f(left))\" y=\"\(f(bottom + 16))\" class=\"tick\">\(HTML.escape(NumberFormat.short(histogram.edges.first ?? 0)))</text>"
        svg += "<text x=\"\(f(width - 10))\" y=\"\(f(bottom + 16))\" text-anchor=\"end\" class=\"tick\">\(HTML.escape(NumberFormat.short(histogram.edges.last ?? 0)))</text>"
        return svg + "</svg>"
    }

    private static func open(width: Double, height: Double, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\">"
    }

    /// Coordinates to one decimal keep the markup small.
    private static func f(_ d: Double) -> String { NumberFormat.short(d, places: 1) }

    private static func cut(_ text: String, _ limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }
}
