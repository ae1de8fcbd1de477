/// The one-line progress report of a run (`study  12/100 rows  3.1 rows/s  41.0 tok/s  ETA 28s`),
/// given to the host's progress sink (the CLI shows it on a terminal only), and the one-line
/// summary when the run ends. Rates count rows computed now (not reused) and tokens generated
/// now (not served by the cache).
struct RunProgress {
    let name: String
    let total: Int
    let sink: ((String) -> Void)?
    private let start = RunClock.now()
    private let tokensAtStart = ModelCallLog.shared.generatedTokens
    private var lastReport = 0.0

    init(name: String, total: Int, sink: ((String) -> Void)?) {
        self.name = name
        self.total = total
        self.sink = sink
    }

    var elapsed: Double { max(RunClock.now() - start, 1e-9) }
    var tokens: Int { ModelCallLog.shared.generatedTokens - tokensAtStart }

    /// Reports at most a few times a second, and always for the last row.
    mutating func update(done: Int, computed: Int) {
        guard let sink else { return }
        let t = RunClock.now()
        guard done == total || t - lastReport >= 0.2 else { return }
        lastReport = t
        let elapsed = max(t - start, 1e-9)
        var line = "\(name)  \(done)/\(total) rows"
        if computed > 0 {
            let rate = Double(computed) / elapsed
            line += "  " + RunProgress.format(rate) + " rows/s"
            let tokens = self.tokens
            if tokens > 0 { line += "  " + RunProgress.format(Double(tokens) / elapsed) + " tok/s" }
            if done < total { line += "  ETA " + RunProgress.duration(Double(total - done) / rate) }
        }
        sink(line)
    }

    /// `run study: 100 rows (97 computed, 3 reused) in 12.3s, 7.9 rows/s, 1234 tokens (100.3 tok/s) → runs/study`
    func summary(_ counts: RunCounts, folder: String) -> String {
        let elapsed = self.elapsed
        var line = "run \(name): \(counts.input) rows (\(counts.computed) computed, \(counts.reused) reused) in "
        line += RunProgress.seconds(elapsed)
        if counts.computed > 0 { line += ", " + RunProgress.format(Double(counts.computed) / elapsed) + " rows/s" }
        let tokens = self.tokens
        if tokens > 0 { line += ", \(tokens) tokens (" + RunProgress.format(Double(tokens) / elapsed) + " tok/s)" }
        return line + " → " + folder
    }

    static func format(_ rate: Double) -> String {
        guard rate.isFinite, rate < 1e12 else { return "?" }
        let tenths = Int((rate * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `0.42s`, `12.3s`: two decimals below 10 seconds, one above.
    static func seconds(_ s: Double) -> String {
        guard s.isFinite, s < 1e9 else { return "?" }
        if s < 10 {
            let hundredths = Int((s * 100).rounded())
            let cents = hundredths % 100
            return "\(hundredths / 100).\(cents < 10 ? "0" : "")\(cents)s"
        }
        return format(s) + "s"
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds < 1e9 else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\((s % 3600) / 60)m" : (s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s")
    }
}
