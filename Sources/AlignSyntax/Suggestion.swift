/// "Did you mean …?" for unknown names, columns and keyword arguments.
public enum Suggestion {
    /// The candidate closest to `name`, or nil when none is close enough to be a likely typo.
    ///
    /// A candidate equal to `name` ignoring case wins outright. Otherwise the distance is the
    /// Damerau–Levenshtein distance in its optimal-string-alignment form (insertions, deletions,
    /// substitutions and swaps of neighbours each cost 1), compared case-insensitively. The limit
    /// is rustc's `max(len, 3) / 3` edits, and it must stay below the length of `name`, so `x`
    /// never suggests `y`. Ties go to the alphabetically first candidate, so the answer does not
    /// depend on the order of `candidates`.
    public static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        let target = Array(name.lowercased().unicodeScalars)
        guard !target.isEmpty else { return nil }
        let limit = min(max(target.count, 3) / 3, target.count - 1)
        var best: (distance: Int, candidate: String)?
        for candidate in candidates where candidate != name {
            let lowered = Array(candidate.lowercased().unicodeScalars)
            if lowered == target { return candidate }
            guard abs(lowered.count - target.count) <= limit else { continue }
            let distance = editDistance(target, lowered)
            guard distance <= limit else { continue }
            if let current = best, (current.distance, current.candidate) <= (distance, candidate) { continue }
            best = (distance, candidate)
        }
        return best?.candidate
    }

    /// Optimal string alignment distance between two scalar sequences.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        var previous2 = [Int](repeating: 0, count: width)
        var previous = Array(0...b.count)
        var row = [Int](repeating: 0, count: width)
        for i in 1...a.count {
            row[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                row[j] = value
            }
            (previous2, previous, row) = (previous, row, previous2)
        }
        return previous[b.count]
    }
}
