/// Vocabulary piece → id, keyed by the piece's UTF-8 bytes in one flat open-addressing table, and
/// id → piece bytes from the same buffer (tokenizers keep no `[String]` of their pieces).
///
/// Why not `[String: Int32]`: a 49k-piece byte-level vocabulary is mostly non-ASCII (`Ġ`, `Ċ`),
/// and Swift hashes such strings through Unicode normalisation. Building that dictionary and
/// resolving 49k merge lines against it (three lookups each, one on a freshly concatenated
/// string) was most of a GGUF tokenizer's load time. Here the bytes are copied once into one
/// buffer, hashed with FNV-1a, and a merge's `left + right` is looked up without building it.
/// Byte equality is the right key: tokenizer vocabularies are compared as stored, not normalised.
///
/// Resident size matters as much as speed (issue 8): the table stays loaded for the whole run, so
/// slots are 32 bits and filled to ~70%, and no byte is reserved beyond what the pieces need.
struct PieceIndex: Sendable {
    /// Every piece's UTF-8 bytes, back to back.
    private let bytes: [UInt8]
    /// `starts[i] ..< starts[i + 1]` are piece i's bytes.
    private let starts: [Int32]
    /// Open-addressing slots: the id in the low `idBits` bits and the high bits of the key's hash
    /// above it (a tag that rejects almost every wrong slot without touching `bytes`); `empty` is
    /// free. Ids stop below `1 << idBits - 1`, so no entry equals `empty`. The first id of a
    /// repeated piece wins.
    private let slots: [UInt32]
    private let idBits: UInt32
    /// Whether two ids spell the same bytes (then only `id(_:_:)` knows which one wins).
    let hasDuplicates: Bool
    private static let empty = UInt32.max

    init(_ pieces: [String]) {
        var total = 0
        for piece in pieces { total += piece.utf8.count }
        var bytes: [UInt8] = [], starts: [Int32] = [0]
        bytes.reserveCapacity(total)
        starts.reserveCapacity(pieces.count + 1)
        for var piece in pieces {
            piece.withUTF8 { bytes.append(contentsOf: $0) }
            starts.append(Int32(truncatingIfNeeded: bytes.count))
        }
        let idBits = UInt32(Int.bitWidth - pieces.count.leadingZeroBitCount)
        var slots = [UInt32](repeating: Self.empty, count: OpenAddressing.capacity(for: pieces.count))
        var duplicates = false
        bytes.withUnsafeBufferPointer { all in
            for id in pieces.indices {
                let piece = UnsafeBufferPointer(rebasing: all[Int(starts[id])..<Int(starts[id + 1])])
                let hash = Self.fnv1a(piece, Self.fnvOffset)
                let tag = Self.tag(hash, idBits)
                var slot = OpenAddressing.home(hash, slots.count)
                while slots[slot] != Self.empty {
                    let entry = slots[slot]
                    if entry >> idBits == tag, Self.equals(all, starts, Self.id(entry, idBits), piece, .init(start: nil, count: 0)) {
                        break
                    }
                    slot = OpenAddressing.next(slot, slots.count)
                }
                if slots[slot] == Self.empty {
                    slots[slot] = tag << idBits | UInt32(truncatingIfNeeded: id)
                } else {
                    duplicates = true
                }
            }
        }
        self.bytes = bytes
        self.starts = starts
        self.slots = slots
        self.idBits = idBits
        hasDuplicates = duplicates
    }

    var count: Int { starts.count - 1 }

    /// The bytes of piece `id`, or nil outside the vocabulary.
    func bytes(of id: Int32) -> ArraySlice<UInt8>? {
        guard id >= 0, Int(id) < count else { return nil }
        return bytes[Int(starts[Int(id)])..<Int(starts[Int(id) + 1])]
    }

    /// The vocabulary string of piece `id` (the bytes came from a `String`, so they are valid UTF-8).
    func piece(_ id: Int32) -> String? { bytes(of: id).map { String(decoding: $0, as: UTF8.self) } }

    /// The id of the piece spelled by `left` followed by `right` (either may be empty).
    func id(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8> = .init(start: nil, count: 0)) -> Int32? {
        let hash = Self.fnv1a(right, Self.fnv1a(left, Self.fnvOffset))
        let tag = Self.tag(hash, idBits)
        var slot = OpenAddressing.home(hash, slots.count)
        return bytes.withUnsafeBufferPointer { all in
            while slots[slot] != Self.empty {
                let entry = slots[slot]
                if entry >> idBits == tag, Self.equals(all, starts, Self.id(entry, idBits), left, right) { return Self.id(entry, idBits) }
                slot = OpenAddressing.next(slot, slots.count)
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

    /// Calls `body` with the bytes of each id in range, in order, without copying them out.
    func forEachPiece(_ ids: [Int32], _ body: (Int32, UnsafeBufferPointer<UInt8>) -> Void) {
        bytes.withUnsafeBufferPointer { all in
            for id in ids where id >= 0 && Int(id) < count {
                body(id, UnsafeBufferPointer(rebasing: all[Int(starts[Int(id)])..<Int(starts[Int(id) + 1])]))
            }
        }
    }

    @inline(__always) private static func equals(_ all: UnsafeBufferPointer<UInt8>, _ starts: [Int32], _ id: Int32,
                                          _ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        let a = Int(starts[Int(id)]), b = Int(starts[Int(id) + 1])
        guard b - a == left.count + right.count else { return false }
        for k in 0..<left.count where all[a + k] != left[k] { return false }
        for k in 0..<right.count where all[a + left.count + k] != right[k] { return false }
        return true
    }

    /// The hash's top bits that fit above the id (the slot comes from the bits below them).
    @inline(__always) private static func tag(_ hash: UInt64, _ idBits: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: hash >> 32) >> idBits
    }

    @inline(__always) private static func id(_ entry: UInt32, _ idBits: UInt32) -> Int32 {
        Int32(bitPattern: entry & ~(UInt32.max << idBits))
    }

    private static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always) private static func fnv1a(_ data: UnsafeBufferPointer<UInt8>, _ seed: UInt64) -> UInt64 {
        var h = seed
        for b in data { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}
