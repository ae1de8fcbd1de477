/// Ranked merge rules over token ids, and the merge loop shared by byte-level and
/// SentencePiece-style BPE.
///
/// Matches: HF `tokenizers` `models::bpe::Word::merge_all` — always apply the lowest-ranked
/// adjacent pair, leftmost first, until no pair has a rule.
struct BPEMerges: Sendable {
    /// Open-addressing table of `left << 43 | right << 22 | rank`: the pair is the key and the rank
    /// rides along, so a probe reads one 8-byte word and a hit needs no second array (the table
    /// stays resident, issue 8: half the size of separate 64-bit keys and values). `empty` marks a
    /// free slot; ids stop below `1 << idBits - 1`, so no entry equals it.
    private var entries: [UInt64]
    /// The id each rule makes, by rank: only read for the pair that is actually merged.
    private var mergedIds: [Int32]
    private(set) var count = 0
    private static let empty = UInt64.max
    private static let idBits: UInt64 = 21
    private static let rankBits: UInt64 = 22
    /// The largest vocabulary and rule list the packing holds (LLaMA-3: 128k pieces, 280k merges).
    static let maxVocabulary = 1 << idBits - 1
    static let maxMerges = 1 << rankBits

    private init(capacityFor n: Int, vocabulary: Int, source: String) throws(EngineError) {
        guard vocabulary <= Self.maxVocabulary else {
            throw .file(source, "\(vocabulary) vocabulary pieces; BPE merging supports at most \(Self.maxVocabulary)")
        }
        guard n <= Self.maxMerges else { throw .file(source, "\(n) merges; at most \(Self.maxMerges) are supported") }
        entries = [UInt64](repeating: Self.empty, count: OpenAddressing.capacity(for: n))
        mergedIds = [Int32](repeating: 0, count: n)
    }

    /// Builds the rules from `(left, right)` pieces; a merge naming a piece outside the vocabulary
    /// is an error in the tokenizer file, reported with its line.
    init(merges: [(String, String)], vocabulary: PieceIndex, source: String) throws(EngineError) {
        try self.init(capacityFor: merges.count, vocabulary: vocabulary.count, source: source)
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
        try self.init(capacityFor: mergeLines.count, vocabulary: vocabulary.count, source: source)
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
        let pair = Self.pair(l, r)
        var slot = OpenAddressing.home(pair, entries.count)
        while entries[slot] != Self.empty {
            if entries[slot] >> Self.rankBits == pair { return }
            slot = OpenAddressing.next(slot, entries.count)
        }
        entries[slot] = pair << Self.rankBits | UInt64(rank)
        mergedIds[rank] = merged
        count += 1
    }

    /// Ids are below `maxVocabulary` (checked when the rules are built), so they fit their fields.
    @inline(__always) private static func pair(_ l: Int32, _ r: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: l)) << idBits | UInt64(UInt32(bitPattern: r))
    }

    /// The rank of the rule merging `l` and `r`, if any.
    @inline(__always) func rank(_ l: Int32, _ r: Int32) -> Int32? {
        let pair = Self.pair(l, r)
        var slot = OpenAddressing.home(pair, entries.count)
        while true {
            let e = entries[slot]
            if e >> Self.rankBits == pair { return Int32(truncatingIfNeeded: e & (1 << Self.rankBits - 1)) }
            if e == Self.empty { return nil }
            slot = OpenAddressing.next(slot, entries.count)
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
            var best = Int32.max, at = -1
            for i in 0..<(s.count - 1) {
                if let r = rank(s[i], s[i + 1]), r < best { best = r; at = i }
            }
            if at < 0 { return }
            s[at] = mergedIds[Int(best)]
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
            if let r = rank(s[i], s[i + 1]) { heap.push(.init(rank: r, pos: Int32(i), left: s[i], right: s[i + 1])) }
        }
        while let c = heap.pop() {
            let i = Int(c.pos)
            guard alive[i], s[i] == c.left else { continue }
            let j = next[i]
            // Both symbols are still the candidate's pair, so its rank names the rule.
            guard j < n, s[j] == c.right else { continue }
            s[i] = mergedIds[Int(c.rank)]
            alive[j] = false
            next[i] = next[j]
            if next[j] < n { prev[next[j]] = i }
            if prev[i] >= 0, let pr = rank(s[prev[i]], s[i]) {
                heap.push(.init(rank: pr, pos: Int32(prev[i]), left: s[prev[i]], right: s[i]))
            }
            if next[i] < n, let nr = rank(s[i], s[next[i]]) {
                heap.push(.init(rank: nr, pos: Int32(i), left: s[i], right: s[next[i]]))
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
