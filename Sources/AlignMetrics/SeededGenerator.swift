/// A small seeded random number generator, so resampling results are reproducible from the seed
/// recorded in a run manifest and do not depend on the standard library's unspecified algorithms.
///
/// Matches: SplitMix64 (Steele, Lea & Flood 2014; constants as in Vigna's `splitmix64.c`).
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A uniform index in `0..<count` (`count` > 0) by Lemire's multiply-and-reject method, fixed
    /// here rather than left to `Int.random(in:using:)`, whose algorithm may change between releases.
    mutating func index(below count: Int) -> Int {
        precondition(count > 0, "index(below:) needs a positive count")
        let bound = UInt64(count)
        let threshold = (0 &- bound) % bound
        while true {
            let product = next().multipliedFullWidth(by: bound)
            if product.low >= threshold { return Int(product.high) }
        }
    }
}
