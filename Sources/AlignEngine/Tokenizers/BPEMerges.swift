/// Ranked merge rules over token ids, and the merge loop shared by byte-level and
/// SentencePiece-style BPE.
///
/// Matches: HF `tokenizers` `models::bpe::Word::merge_all` — always apply the lowest-ranked
/// adjacent pair, leftmost first, until no pair has a rule.
struct BPEMerges: Sendable {
    /// (left id << 32 | right id) → (rank, merged id).
    private var rules: [UInt64: (rank: Int32, merged: Int32)] = [:]

    var count: Int { rules.count }

    /// Builds the rules from `"left right"` merge lines; a merge naming a piece outside the
    /// vocabulary is an error in the tokenizer file, reported with its line.
    init(merges: [(String, String)], vocabulary: [String: Int32], source: String) throws(EngineError) {
        rules.reserveCapacity(merges.count)
        for (rank, (left, right)) in merges.enumerated() {
            guard let l = vocabulary[left], let r = vocabulary[right], let m = vocabulary[left + right] else {
                throw .file(source, "merge \(rank) `\(left) \(right)` names a piece that is not in the vocabulary")
            }
            let key = Self.key(l, r)
            if rules[key] == nil { rules[key] = (Int32(truncatingIfNeeded: rank), m) }
        }
    }

    @inline(__always) private static func key(_ l: Int32, _ r: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: l)) << 32 | UInt64(UInt32(bitPattern: r))
    }

    func rule(_ l: Int32, _ r: Int32) -> (rank: Int32, merged: Int32)? { rules[Self.key(l, r)] }

    /// Merges `symbols` in place.
    func apply(_ symbols: inout [Int32]) {
        if symbols.count < 2 { return }
        if symbols.count <= 24 { applyShort(&symbols) } else { applyLong(&symbols) }
    }

    /// Quadratic scan: fastest for the short words a pre-tokenizer produces.
    private func applyShort(_ s: inout [Int32]) {
        while s.count > 1 {
            var best = Int32.max, at = -1, merged: Int32 = 0
            for i in 0..<(s.count - 1) {
                if let r = rule(s[i], s[i + 1]), r.rank < best { best = r.rank; at = i; merged = r.merged }
            }
            if at < 0 { return }
            s[at] = merged
            s.remove(at: at + 1)
        }
    }

    /// Heap over candidate pairs with a linked list of symbols: O(n log n) for whole-sentence
    /// words (SentencePiece-style BPE has no pre-tokenizer).
    private func applyLong(_ s: inout [Int32]) {
        let n = s.count
        var prev = Array(-1..<(n - 1)), next = Array(1...n)
        var alive = [Bool](repeating: true, count: n)
        var heap = MinHeap<Candidate>()
        for i in 0..<(n - 1) {
            if let r = rule(s[i], s[i + 1]) { heap.push(.init(rank: r.rank, pos: Int32(i), left: s[i], right: s[i + 1])) }
        }
        while let c = heap.pop() {
            let i = Int(c.pos)
            guard alive[i], s[i] == c.left else { continue }
            let j = next[i]
            guard j < n, s[j] == c.right, let r = rule(s[i], s[j]) else { continue }
            s[i] = r.merged
            alive[j] = false
            next[i] = next[j]
            if next[j] < n { prev[next[j]] = i }
            if prev[i] >= 0, let pr = rule(s[prev[i]], s[i]) {
                heap.push(.init(rank: pr.rank, pos: Int32(prev[i]), left: s[prev[i]], right: s[i]))
            }
            if next[i] < n, let nr = rule(s[i], s[next[i]]) {
                heap.push(.init(rank: nr.rank, pos: Int32(i), left: s[i], right: s[next[i]]))
            }
        }
        var out: [Int32] = []
        out.reserveCapacity(n)
        for i in 0..<n where alive[i] { out.append(s[i]) }
        s = out
    }
}

/// A merge candidate, ordered by (rank, position).
private struct Candidate: Comparable {
    var rank: Int32
    var pos: Int32
    var left: Int32
    var right: Int32
    static func < (a: Candidate, b: Candidate) -> Bool { a.rank != b.rank ? a.rank < b.rank : a.pos < b.pos }
}
