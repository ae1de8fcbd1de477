/// Multiset of the n-grams of one order in a token list, shared by BLEU and ROUGE-N.
///
/// Both references count n-grams the same way (`collections.Counter` over token tuples) and clip
/// matches by the smaller count, so one type serves both. N-grams are numbered by `NGramIndex`, so
/// counting hashes one integer per n-gram instead of a token tuple.
struct NGramCounts {
    private(set) var counts: [Int: Int] = [:]
    /// Number of n-grams counted with repetition: `max(0, tokens - order + 1)`.
    private(set) var total = 0

    init(ids: [Int]) {
        counts.reserveCapacity(ids.count)
        for id in ids { counts[id, default: 0] += 1 }
        total = ids.count
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

/// Numbers n-grams so equal n-grams of any two token lists get the same id: an n-gram's id is
/// looked up from its (n−1)-gram prefix's id and its last token.
struct NGramIndex {
    private struct Extension: Hashable {
        let prefix: Int
        let token: Int
    }

    private var ids: [Extension: Int] = [:]

    /// Counts of orders 1…`maxOrder` of `tokens` (token ids from one `TokenVocabulary`).
    mutating func counts(_ tokens: [Int], maxOrder: Int) -> [NGramCounts] {
        var result: [NGramCounts] = []
        result.reserveCapacity(maxOrder)
        var previous = tokens.map { _ in -1 }
        for order in 1...max(maxOrder, 1) {
            let count = max(0, tokens.count - order + 1)
            var current: [Int] = []
            current.reserveCapacity(count)
            for start in 0..<count {
                current.append(id(of: Extension(prefix: previous[start], token: tokens[start + order - 1])))
            }
            result.append(NGramCounts(ids: current))
            previous = current
        }
        return result
    }

    private mutating func id(of gram: Extension) -> Int {
        if let known = ids[gram] { return known }
        let next = ids.count
        ids[gram] = next
        return next
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
