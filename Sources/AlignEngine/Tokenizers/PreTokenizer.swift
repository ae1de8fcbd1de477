/// Splits text into the words that byte-level BPE merges within. The splitting regexes are
/// written out by hand over Unicode scalars (general categories L and N, White_Space) instead of
/// being run through a regex engine, which is far slower for this.
///
/// Matches: HF `tokenizers` `pre_tokenizers::{Digits, ByteLevel, Split}`, llama.cpp `unicode.cpp`
/// `unicode_regex_split_custom_gpt2` / `_llama3`.
struct PreTokenizer: Sendable {
    /// The splitting regexes that real checkpoints use.
    enum Pattern: Sendable {
        /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
        case gpt2
        /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
        /// (LLaMA-3; Qwen2 has `\p{N}` for `\p{N}{1,3}`, given by `maxDigits` 1).
        case llama3(maxDigits: Int)
    }

    /// Isolate every numeric character first (SmolLM2: `Digits(individual_digits=true)`).
    var individualDigits = false
    var pattern: Pattern? = .gpt2
    /// Prepend a space when the text does not start with one (`ByteLevel(add_prefix_space=true)`).
    var addPrefixSpace = false

    /// Word boundaries as scalar index ranges.
    func split(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var start = 0
        if individualDigits {
            for i in s.indices where CharClass.of(s[i]) == .number {
                if start < i { splitByPattern(s, start..<i, into: &pieces) }
                pieces.append(i..<(i + 1))
                start = i + 1
            }
        }
        if start < s.count { splitByPattern(s, start..<s.count, into: &pieces) }
        return pieces
    }

    private func splitByPattern(_ s: [Unicode.Scalar], _ range: Range<Int>, into pieces: inout [Range<Int>]) {
        guard let pattern else { pieces.append(range); return }
        var i = range.lowerBound
        while i < range.upperBound {
            let end: Int
            switch pattern {
            case .gpt2: end = Self.matchGPT2(s, i, range.upperBound)
            case .llama3(let maxDigits): end = Self.matchLlama3(s, i, range.upperBound, maxDigits: maxDigits)
            }
            pieces.append(i..<end)
            i = end
        }
    }

    /// Length of the contraction (`'s`, `'ll`, …) at `i`, or 0.
    private static func contraction(_ s: [Unicode.Scalar], _ i: Int, _ n: Int, caseInsensitive: Bool) -> Int {
        guard s[i] == "'", i + 1 < n else { return 0 }
        func lower(_ k: Int) -> Unicode.Scalar {
            let c = s[k]
            guard caseInsensitive, c.value >= 65, c.value <= 90 else { return c }
            return Unicode.Scalar(UInt8(c.value + 32))
        }
        switch lower(i + 1) {
        case "s", "t", "m", "d": return 2
        case "r", "v": return i + 2 < n && lower(i + 2) == "e" ? 3 : 0
        case "l": return i + 2 < n && lower(i + 2) == "l" ? 3 : 0
        default: return 0
        }
    }

    /// End of the run of scalars of class `c` starting at `i`.
    private static func run(_ s: [Unicode.Scalar], _ i: Int, _ n: Int, _ c: CharClass, limit: Int = .max) -> Int {
        var j = i
        while j < n, j - i < limit, CharClass.of(s[j]) == c { j += 1 }
        return j
    }

    /// `\s+(?!\S)|\s+` at a whitespace scalar: the run, less its last scalar when a non-space follows.
    private static func whitespace(_ s: [Unicode.Scalar], _ i: Int, _ n: Int) -> Int {
        let j = run(s, i, n, .space)
        return j < n && j - i > 1 ? j - 1 : j
    }

    static func matchGPT2(_ s: [Unicode.Scalar], _ i: Int, _ n: Int) -> Int {
        let c = contraction(s, i, n, caseInsensitive: false)
        if c > 0 { return i + c }
        var j = i
        if s[i] == " ", i + 1 < n, CharClass.of(s[i + 1]) != .space { j = i + 1 }
        let cls = CharClass.of(s[j])
        if cls != .space { return run(s, j, n, cls) }
        return whitespace(s, i, n)
    }

    static func matchLlama3(_ s: [Unicode.Scalar], _ i: Int, _ n: Int, maxDigits: Int) -> Int {
        let c = contraction(s, i, n, caseInsensitive: true)
        if c > 0 { return i + c }
        let cls = CharClass.of(s[i])
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if cls == .letter { return run(s, i, n, .letter) }
        if cls != .number, !isNewline(s[i]), i + 1 < n, CharClass.of(s[i + 1]) == .letter {
            return run(s, i + 1, n, .letter)
        }
        // \p{N}{1,maxDigits}
        if cls == .number { return run(s, i, n, .number, limit: maxDigits) }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        var j = i
        if s[i] == " ", i + 1 < n, CharClass.of(s[i + 1]) == .other { j = i + 1 }
        if CharClass.of(s[j]) == .other {
            j = run(s, j, n, .other)
            while j < n, isNewline(s[j]) { j += 1 }
            return j
        }
        // \s*[\r\n]+ : the whitespace run up to and including its last newline block.
        let end = run(s, i, n, .space)
        var lastNewline = -1
        for k in i..<end where isNewline(s[k]) { lastNewline = k }
        if lastNewline >= 0 { return lastNewline + 1 }
        return whitespace(s, i, n)
    }

    private static func isNewline(_ s: Unicode.Scalar) -> Bool { s == "\n" || s == "\r" }
}

/// The scalar classes the splitting regexes distinguish.
enum CharClass: UInt8 {
    case space, letter, number, other

    private static let ascii: [CharClass] = (0..<128).map { v -> CharClass in
        switch UInt8(v) {
        case 9...13, 32: .space
        case 48...57: .number
        case 65...90, 97...122: .letter
        default: .other
        }
    }

    @inline(__always) static func of(_ s: Unicode.Scalar) -> CharClass {
        if s.value < 128 { return ascii[Int(s.value)] }
        let p = s.properties
        if p.isWhitespace { return .space }
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }
}
