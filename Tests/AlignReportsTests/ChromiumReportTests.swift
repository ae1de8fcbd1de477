import AlignReports
import AlignRuntime
import Foundation
import Testing

/// The report of a real run, opened in headless Chromium: it renders (a screenshot of real
/// size), its script runs, and the page's DOM shows the numbers of summary.json.
@Suite(.enabled(if: HeadlessChromium.find() != nil || HeadlessChromium.isCI, "chromium is not installed"))
struct ChromiumReportTests {
    @Test func reportRendersWithTheSummaryNumbers() throws {
        guard let chromium = HeadlessChromium.find() else {
            Issue.record("chromium is missing; scripts/bootstrap installs the Debian package")
            return
        }
        let scratch = try TestRuns.scratchFolder("chromium")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let folder = try TestRuns.runScript(in: scratch)
        let run = try RecordedRun(folder: folder)
        let page = RunReport.defaultPath(for: folder)
        try RunReport(run: run).write(to: page)

        let screenshot = scratch + "/report.png"
        let dom = try chromium.render(page: page, screenshot: screenshot, scratch: scratch)

        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG")
        #expect(png.count > 20_000, "screenshot is only \(png.count) bytes")
        if png.count >= 24 {
            let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
            #expect(width == 1280)
        }

        let summary = try #require(run.summary)
        var checked = 0
        for (key, value) in summary.pairs {
            let leaves: [(String, Value)] = if case .record(let inner) = value {
                inner.pairs.map { (key + "." + $0.key, $0.value) }
            } else { [(key, value)] }
            for (path, leaf) in leaves {
                let text: String
                switch leaf {
                case .int(let i): text = String(i)
                case .float(let d): text = Value.formatFloat(d)
                default: continue
                }
                #expect(dom.contains("<th>\(path)</th><td class=\"num\">\(text)</td>"), "summary \(path) = \(text) not on the page")
                checked += 1
            }
        }
        #expect(checked >= 3, "summary.json had too few numbers to check")
        // The mean score over the 24 rows: (sum of (7i mod 11)/10) / 24 = 11.7 / 24.
        #expect(dom.contains("<th>score</th><td class=\"num\">24</td><td class=\"num\">0.4875</td>"))
        #expect(dom.contains("24 of 24 sample rows shown"), "the inline script did not run")
        #expect(dom.contains("<svg"))
        #expect(dom.contains("&lt;/script&gt;&lt;script&gt;alert(1)"))
        #expect(!dom.contains("<script>alert"))
    }
}
