/// Finds stop strings in generated text and decides how much text is safe to stream: text that
/// might still turn into a stop string, or an incomplete UTF-8 character, is held back.
struct StopStringMatcher {
    let stops: [String]

    init(_ stops: [String]) { self.stops = stops.filter { !$0.isEmpty } }

    /// The text before the earliest stop string, if one occurs (compared by unicode scalars).
    func truncated(_ text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        var earliest: Int?
        for stop in stops {
            let pattern = Array(stop.unicodeScalars)
            guard pattern.count <= scalars.count else { continue }
            for start in 0...(scalars.count - pattern.count) where earliest.map({ start < $0 }) ?? true {
                if scalars[start..<(start + pattern.count)].elementsEqual(pattern) { earliest = start; break }
            }
        }
        guard let earliest else { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[..<earliest])
        return String(view)
    }

    /// How many unicode scalars of `text` can be shown now.
    func safePrefixLength(_ text: String) -> Int {
        let scalars = Array(text.unicodeScalars)
        var end = scalars.count
        while end > 0 && scalars[end - 1] == "\u{FFFD}" { end -= 1 }
        var holdBack = 0
        for stop in stops {
            let stopScalars = Array(stop.unicodeScalars)
            for n in stride(from: min(stopScalars.count - 1, end), to: holdBack, by: -1)
            where Array(scalars[(end - n)..<end]) == Array(stopScalars[0..<n]) {
                holdBack = n
                break
            }
        }
        return end - holdBack
    }
}
