#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The one-line progress report of a run (`claude3-empathy  12/100 rows  3.1 rows/s  ETA 28s`),
/// given to the host's progress sink (the CLI shows it on a terminal only).
struct RunProgress {
    let name: String
    let total: Int
    let sink: (String) -> Void
    private let start = RunProgress.now()
    private var lastReport = 0.0

    init(name: String, total: Int, sink: @escaping (String) -> Void) {
        self.name = name
        self.total = total
        self.sink = sink
    }

    /// Reports at most a few times a second, and always for the last row.
    mutating func update(done: Int, computed: Int) {
        let t = RunProgress.now()
        guard done == total || t - lastReport >= 0.2 else { return }
        lastReport = t
        let elapsed = max(t - start, 1e-9)
        var line = "\(name)  \(done)/\(total) rows"
        if computed > 0 {
            let rate = Double(computed) / elapsed
            line += "  " + RunProgress.format(rate) + " rows/s"
            if done < total { line += "  ETA " + RunProgress.duration(Double(total - done) / rate) }
        }
        sink(line)
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func format(_ rate: Double) -> String {
        let tenths = Int((rate * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\((s % 3600) / 60)m" : (s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s")
    }
}
