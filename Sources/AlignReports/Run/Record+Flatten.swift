import AlignRuntime

extension Record {
    /// Nested records spelled out as dotted key paths (`rows.input`, `metrics.rougeL`), in order;
    /// lists and scalars are leaves. Summaries and manifests are compared and shown this way.
    func flattened(prefix: String = "") -> [(path: String, value: Value)] {
        var out: [(path: String, value: Value)] = []
        for (key, value) in pairs {
            let path = prefix.isEmpty ? key : prefix + "." + key
            if case .record(let inner) = value, inner.count > 0 {
                out += inner.flattened(prefix: path)
            } else {
                out.append((path, value))
            }
        }
        return out
    }
}

extension Value {
    /// The number an int or float holds (bools are not numbers here).
    var numeric: Double? {
        switch self {
        case .int(let i): Double(i)
        case .float(let d): d
        default: nil
        }
    }
}
