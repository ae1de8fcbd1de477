/// Ranked merge rules over token ids, and the merge loop shared by byte-level and
/// SentencePiece-style BPE.
///
/// Matches: HF `tokenizers` `models::bpe::Word::merge_all` — always apply the lowest-ranked
/// adjacent pair, leftmost first, until no pair has a rule.
struct BPEMerges: Sendable {
    /// Open-addressing table keyed by (left id << 32 | right id); `emptyKey` marks a free slot.
    /// A flat table rather than a `Dictionary`: built once per load from ~50k rules and probed for
    /// every adjacent pair while encoding.
    private var keys: [UInt64]
    /// rank << 32 | merged id, parallel to `keys`.
    private var values: [UInt64]
    private let mask: Int
    private(set) var count = 0
    private static let emptyKey = UInt64.max

    private init(capacityFor n: Int) {
        var capacity = 16
        while capacity < n * 2 { capacity <<= 1 }
        keys = [UInt64](repeating: Self.emptyKey, count: capacity)
        values = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    /// Builds the rules from `(left, right)` pieces; a merge naming a piece outside the vocabulary
    /// is an error in the tokenizer file, reported with its line.
    init(merges: [(String, String)], vocabulary: PieceIndex, source: String) throws(EngineError) {
        self.init(capacityFor: merges.count)
        var next: Int32 = -1
        for (rank, (left, right)) in merges.enumerated() {
            var l = left, r = right
            let ids = l.withUTF8 { a in r.withUTF8 { b in (vocabulary.id(a), vocabulary.id(b), Self.merged(a, b, vocabulary, guess: next)) } }
            guard let li = ids.0, let ri = ids.1, let mi = ids.2 else {
                throw .file(source, "merge \(rank) `\(left) \(right)` names a piece that is not in the vocabulary")
            }
            add(li, ri, rank: rank, merged: mi)
            next = mi &+ 1
        }
    }

    /// Builds the rules from `"left right"` lines (GGUF `tokenizer.ggml.merges`), split at the
    /// first space byte without making a string per piece.
    init(mergeLines: [String], vocabulary: PieceIndex, source: String) throws(EngineError) {
        self.init(capacityFor: mergeLines.count)
        var next: Int32 = -1
        for (rank, line) in mergeLines.enumerated() {
            var text = line
            let ids: (Int32?, Int32?, Int32?)? = text.withUTF8 { bytes in
                guard let space = bytes.firstIndex(of: 0x20) else { return nil }
                let left = UnsafeBufferPointer(rebasing: bytes[..<space])
                let right = UnsafeBufferPointer(rebasing: bytes[(space + 1)...])
                return (vocabulary.id(left), vocabulary.id(right), Self.merged(left, right, vocabulary, guess: next))
            }
            guard let ids else { throw .file(source, "merge \(rank) `\(line)` is not two pieces separated by a space") }
            guard let li = ids.0, let ri = ids.1, let mi = ids.2 else {
                throw .file(source, "merge \(rank) `\(line)` names a piece that is not in the vocabulary")
            }
            add(li, ri, rank: rank, merged: mi)
            next = mi &+ 1
        }
    }

    /// The id of `left + right`. Vocabularies made by BPE training list merged pieces in merge
    /// order, so the id after the previous merge's result is tried first: checking one piece's
    /// bytes is cheaper than a hash probe into a table that does not fit in cache.
    @inline(__always) private static func merged(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>,
                                                 _ vocabulary: PieceIndex, guess: Int32) -> Int32? {
        !vocabulary.hasDuplicates && vocabulary.spells(guess, left, right) ? guess : vocabulary.id(left, right)
    }

    /// Records a rule unless the pair already has a better-ranked one.
    private mutating func add(_ l: Int32, _ r: Int32, rank: Int, merged: Int32) {
        let key = Self.key(l, r)
        var slot = Self.slot(key) & mask
        while keys[slot] != Self.emptyKey {
            if keys[slot] == key { return }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        values[slot] = UInt64(UInt32(truncatingIfNeeded: rank)) << 32 | UInt64(UInt32(bitPattern: merged))
        count += 1
    }

    @inline(__always) private static func key(_ l: Int32, _ r: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: l)) << 32 | UInt64(UInt32(bitPattern: r))
    }

    @inline(__always) private static func slot(_ key: UInt64) -> Int {
        let h = key &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h ^ (h >> 31))
    }

    @inline(__always) func rule(_ l: Int32, _ r: Int32) -> (rank: Int32, merged: Int32)? {
        let key = Self.key(l, r)
        var slot = Self.slot(key) & mask
        while true {
            let k = keys[slot]
            if k == key {
                let v = values[slot]
                return (Int32(truncatingIfNeeded: v >> 32), Int32(truncatingIfNeeded: v & 0xFFFF_FFFF))
            }
            if k == Self.emptyKey { return nil }
            slot = (slot + 1) & mask
        }
    }

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
