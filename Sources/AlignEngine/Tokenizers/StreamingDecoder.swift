/// Turns ids into text one token at a time, for printing while generating. A character whose UTF-8
/// bytes are spread over several tokens (byte-level BPE, `<0xE2>` byte fallback) is held back until
/// it is complete, so the terminal never shows a replacement character mid-stream.
public struct StreamingDecoder {
    public let tokenizer: any Tokenizer
    public let skipSpecial: Bool
    private var pending: [UInt8] = []
    /// Whether any byte has arrived yet: only the very first may be a space to drop.
    private var started = false

    public init(tokenizer: any Tokenizer, skipSpecial: Bool = true) {
        self.tokenizer = tokenizer
        self.skipSpecial = skipSpecial
    }

    /// The text that became complete with `id` (often empty while a character is still open).
    public mutating func push(_ id: Int32) -> String {
        var bytes = tokenizer.decodeBytes([id], skipSpecial: skipSpecial)
        if !started, !bytes.isEmpty {
            started = true
            if tokenizer.decodeDropsLeadingSpace, bytes.first == 0x20 { bytes.removeFirst() }
        }
        pending.append(contentsOf: bytes)
        let cut = Self.completePrefixLength(pending)
        guard cut > 0 else { return "" }
        let text = String(decoding: pending[0..<cut], as: UTF8.self)
        pending.removeFirst(cut)
        return text
    }

    /// Whatever is still held back (an unfinished character is shown as U+FFFD).
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Length of the longest prefix that does not end inside a UTF-8 sequence that may still be
    /// completed. Invalid bytes are let through (they decode to U+FFFD either way).
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        var i = n - 1
        // Walk back over at most 3 continuation bytes to the lead byte of the last sequence.
        while i >= 0, n - i <= 4, bytes[i] & 0xC0 == 0x80 { i -= 1 }
        guard i >= 0, n - i <= 4 else { return n }
        let lead = bytes[i]
        let need: Int
        switch lead {
        case 0xC2...0xDF: need = 2
        case 0xE0...0xEF: need = 3
        case 0xF0...0xF4: need = 4
        default: return n
        }
        return n - i < need ? i : n
    }
}
