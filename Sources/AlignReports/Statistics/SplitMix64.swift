/// The seeded generator behind bootstrap resampling, so an interval printed by `align diff` is
/// reproduced exactly from its `--seed` on any machine and Swift release.
///
/// Matches: SplitMix64 (Steele, Lea & Flood 2014; constants as in Vigna's `splitmix64.c`), the
/// generator AlignMetrics' ROUGE bootstrap uses; index draws use Lemire's multiply-and-reject.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform index in `0..<count`; `count` must be positive (callers check).
    mutating func index(below count: Int) -> Int {
        let bound = UInt64(max(count, 1))
        let threshold = (0 &- bound) % bound
        while true {
            let product = next().multipliedFullWidth(by: bound)
            if product.low >= threshold { return Int(product.high) }
        }
    }
}
