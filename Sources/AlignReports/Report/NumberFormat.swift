import AlignRuntime

/// Numbers as the report and diff print them.
enum NumberFormat {
    /// Rounded to `places` decimals, written as the language writes floats (`0.1235`, `12.0`,
    /// `1e-05`); ints stay ints.
    static func short(_ d: Double, places: Int = 4) -> String {
        guard d.isFinite else { return Value.formatFloat(d) }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (d * scale).rounded() / scale
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        return Value.formatFloat(rounded)
    }

    /// With an explicit sign, for deltas.
    static func signed(_ d: Double, places: Int = 4) -> String {
        let text = short(d, places: places)
        return d > 0 || (d == 0 && !text.hasPrefix("-")) ? "+" + text : text
    }

    /// A fraction as a percentage with one decimal (`62.5%`).
    static func percent(_ d: Double) -> String { short(d * 100, places: 1) + "%" }

    /// The exact text a value has in the run's JSON files (floats as Python's `repr`).
    static func exact(_ v: Value) -> String {
        switch v {
        case .string(let s): return s
        default: return (try? JSON.encode(v)) ?? v.displayString
        }
    }
}
