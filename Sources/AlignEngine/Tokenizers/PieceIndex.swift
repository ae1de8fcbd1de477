/// Vocabulary piece → id, keyed by the piece's UTF-8 bytes in one flat open-addressing table.
///
/// Why not `[String: Int32]`: a 49k-piece byte-level vocabulary is mostly non-ASCII (`Ġ`, `Ċ`),
/// and Swift hashes such strings through Unicode normalisation. Building that dictionary and
/// resolving 49k merge lines against it (three lookups each, one on a freshly concatenated
/// string) was most of a GGUF tokenizer's load time. Here the bytes are copied once into one
/// buffer, hashed with FNV-1a, and a merge's `left + right` is looked up without building it.
/// Byte equality is the right key: tokenizer vocabularies are compared as stored, not normalised.
struct PieceIndex: Sendable {
    /// Every piece's UTF-8 bytes, back to back.
    private var bytes: [UInt8] = []
    /// `starts[i] ..< starts[i + 1]` are piece i's bytes.
    private var starts: [Int32] = [0]
    /// Open-addressing slots: high 32 bits of the key's hash (a tag that rejects almost every
    /// wrong slot without touching `bytes`) and the id in the low 32 bits; `empty` is free.
    /// The first id of a repeated piece wins.
    private var slots: [UInt64]
    private let mask: Int
    /// Whether two ids spell the same bytes (then only `id(_:_:)` knows which one wins).
    private(set) var hasDuplicates = false
    private static let empty = UInt64.max

    init(_ pieces: [String]) {
        var capacity = 16
        while capacity < pieces.count * 2 { capacity <<= 1 }
        slots = [UInt64](repeating: Self.empty, count: capacity)
        mask = capacity - 1
        starts.reserveCapacity(pieces.count + 1)
        bytes.reserveCapacity(pieces.count * 8)
        for var piece in pieces {
            piece.withUTF8 { bytes.append(contentsOf: $0) }
            starts.append(Int32(truncatingIfNeeded: bytes.count))
        }
        let starts = starts
        var slots = slots
        var duplicates = false
        bytes.withUnsafeBufferPointer { all in
            for id in pieces.indices {
                let piece = UnsafeBufferPointer(rebasing: all[Int(starts[id])..<Int(starts[id + 1])])
                let hash = Self.fnv1a(piece, Self.fnvOffset)
                var slot = Self.slot(hash) & mask
                while slots[slot] != Self.empty {
                    let entry = slots[slot]
                    if Self.tag(entry) == Self.tag(hash), Self.equals(all, starts, Self.id(entry), piece, .init(start: nil, count: 0)) {
                        break
                    }
                    slot = (slot + 1) & mask
                }
                if slots[slot] == Self.empty {
                    slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(UInt32(id))
                } else {
                    duplicates = true
                }
            }
        }
        self.slots = slots
        hasDuplicates = duplicates
    }

    var count: Int { starts.count - 1 }

    /// The bytes of piece `id`.
    func bytes(of id: Int32) -> ArraySlice<UInt8> { bytes[Int(starts[Int(id)])..<Int(starts[Int(id) + 1])] }

    /// The id of the piece spelled by `left` followed by `right` (either may be empty).
    func id(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8> = .init(start: nil, count: 0)) -> Int32? {
        let hash = Self.fnv1a(right, Self.fnv1a(left, Self.fnvOffset))
        var slot = Self.slot(hash) & mask
        return bytes.withUnsafeBufferPointer { all in
            while slots[slot] != Self.empty {
                let entry = slots[slot]
                if Self.tag(entry) == Self.tag(hash), Self.equals(all, starts, Self.id(entry), left, right) { return Self.id(entry) }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    func id(_ piece: String) -> Int32? {
        var piece = piece
        return piece.withUTF8 { id($0) }
    }

    /// Whether piece `id` is exactly `left` followed by `right` (ids outside the table are not).
    /// With duplicate pieces this can name an id that `id(_:_:)` would not return.
    func spells(_ id: Int32, _ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        guard id >= 0, Int(id) < count else { return false }
        return bytes.withUnsafeBufferPointer { Self.equals($0, starts, id, left, right) }
    }

    @inline(__always) private static func equals(_ all: UnsafeBufferPointer<UInt8>, _ starts: [Int32], _ id: Int32,
                                          _ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        let a = Int(starts[Int(id)]), b = Int(starts[Int(id) + 1])
        guard b - a == left.count + right.count else { return false }
        for k in 0..<left.count where all[a + k] != left[k] { return false }
        for k in 0..<right.count where all[a + left.count + k] != right[k] { return false }
        return true
    }

    @inline(__always) private static func tag(_ v: UInt64) -> UInt64 { v >> 32 }
    @inline(__always) private static func id(_ entry: UInt64) -> Int32 { Int32(truncatingIfNeeded: entry & 0xFFFF_FFFF) }

    private static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always) private static func fnv1a(_ data: UnsafeBufferPointer<UInt8>, _ seed: UInt64) -> UInt64 {
        var h = seed
        for b in data { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// FNV's low bits mix poorly; fold the high bits in before masking.
    @inline(__always) private static func slot(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash ^ (hash >> 29)) }
}
