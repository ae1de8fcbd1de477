/// Multiset of the n-grams of one order in a token list, shared by BLEU and ROUGE-N.
///
/// Both references count n-grams the same way (`collections.Counter` over token tuples), and both
/// clip matches by the smaller count, so one type serves both. Tokens arrive as `TokenVocabulary`
/// ids so that equality is Python's code-point equality.
struct NGramCounts {
    private(set) var counts: [ArraySlice<Int>: Int] = [:]
    /// Number of n-grams counted with repetition: `max(0, tokens - order + 1)`.
    private(set) var total = 0

    init(_ tokens: [Int], order: Int) {
        guard order > 0, tokens.count >= order else { return }
        for start in 0...(tokens.count - order) {
            counts[tokens[start..<(start + order)], default: 0] += 1
        }
        total = tokens.count - order + 1
    }

    /// Σ over shared n-grams of the smaller count (the clipped match count).
    func overlap(with other: NGramCounts) -> Int {
        let (small, large) = counts.count <= other.counts.count ? (counts, other.counts) : (other.counts, counts)
        var matches = 0
        for (gram, count) in small {
            if let otherCount = large[gram] { matches += min(count, otherCount) }
        }
        return matches
    }
}

/// Numbers tokens by their exact UTF-8 bytes. Swift `String` equality is canonical equivalence
/// (`"e\u{301}" == "é"`), Python's is code-point equality; matching on bytes keeps the Python answer.
struct TokenVocabulary {
    private var ids: [[UInt8]: Int] = [:]

    mutating func encode(_ tokens: [String]) -> [Int] {
        tokens.map { token in
            let bytes = Array(token.utf8)
            if let id = ids[bytes] { return id }
            let id = ids.count
            ids[bytes] = id
            return id
        }
    }
}
