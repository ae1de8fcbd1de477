/// Slot arithmetic shared by the tokenizers' linear-probing tables (`PieceIndex`, `BPEMerges`).
///
/// Tables are sized to a ~70% load instead of the next power of two above 2×: they stay resident
/// for the whole run (issue 8), and at 70% a miss still scans only a few adjacent slots. Without a
/// power-of-two size, the home slot comes from a multiply-shift (Lemire's "fastrange") rather than
/// a mask.
enum OpenAddressing {
    /// Slots for `count` entries: at most 70% full, and always with a free slot so probing ends.
    static func capacity(for count: Int) -> Int { max(16, count + count * 3 / 7 + 1) }

    /// The first slot to probe for `hash`: its bits are mixed (FNV and packed id pairs have weak
    /// bits), then the top 32 are scaled onto `0 ..< capacity`.
    @inline(__always) static func home(_ hash: UInt64, _ capacity: Int) -> Int {
        let h = (hash ^ (hash >> 32)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: ((h >> 32) &* UInt64(truncatingIfNeeded: capacity)) >> 32)
    }

    /// The slot after `slot`, wrapping at the end.
    @inline(__always) static func next(_ slot: Int, _ capacity: Int) -> Int {
        slot + 1 == capacity ? 0 : slot + 1
    }
}
