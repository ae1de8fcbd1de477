/// The bytes each id decodes to, back to back in one buffer: an array per piece cost a heap
/// object (≥ 48 bytes) for every piece of a 32k vocabulary, and this stays resident for the
/// whole run (issue 8).
struct DecodedPieces: Sendable {
    private let bytes: [UInt8]
    /// `bytes[starts[i] ..< starts[i + 1]]` is what id i decodes to.
    private let starts: [Int32]

    /// `count` pieces, each appended to the buffer by `decode(id, &buffer)`.
    init(count: Int, _ decode: (Int, inout [UInt8]) -> Void) {
        var bytes: [UInt8] = [], starts: [Int32] = [0]
        starts.reserveCapacity(count + 1)
        for id in 0..<count {
            decode(id, &bytes)
            starts.append(Int32(truncatingIfNeeded: bytes.count))
        }
        // A copy of exactly the bytes: growing by doubling left up to half the buffer unused.
        self.bytes = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, n in
            n = buffer.initialize(fromContentsOf: bytes)
        }
        self.starts = starts
    }

    var count: Int { starts.count - 1 }

    /// The bytes of `ids` in order; ids outside the vocabulary and those `skip` names add nothing.
    func decode(_ ids: [Int32], skip: (Int32) -> Bool) -> [UInt8] {
        var out: [UInt8] = []
        for id in ids where id >= 0 && Int(id) < count && !skip(id) {
            out.append(contentsOf: bytes[Int(starts[Int(id)])..<Int(starts[Int(id) + 1])])
        }
        return out
    }
}
