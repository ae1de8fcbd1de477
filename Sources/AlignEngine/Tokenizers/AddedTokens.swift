/// A token written literally into text (`<|im_start|>`, `</s>`), matched before the model's own
/// algorithm runs so it always becomes its single id.
struct AddedToken: Sendable {
    var content: String
    var id: Int32
    /// Also swallow whitespace on that side (HF `lstrip` / `rstrip`).
    var lstrip = false
    var rstrip = false
}

/// A piece of input: plain text for the model, or an added token already resolved.
enum TextSegment: Equatable {
    case text(Substring)
    case token(Int32)
}

/// Finds added tokens in text, longest match first.
///
/// Matches: HF `tokenizers` `AddedVocabulary::split_with_indices` (leftmost-longest), llama.cpp
/// `tokenizer_st_partition`.
struct AddedTokenMatcher: Sendable {
    /// Candidates by first UTF-8 byte, longest first.
    private var byFirstByte: [UInt8: [(bytes: [UInt8], token: AddedToken)]] = [:]

    var isEmpty: Bool { byFirstByte.isEmpty }

    init(_ tokens: [AddedToken]) {
        for t in tokens where !t.content.isEmpty {
            let bytes = Array(t.content.utf8)
            byFirstByte[bytes[0], default: []].append((bytes, t))
        }
        for k in byFirstByte.keys { byFirstByte[k]?.sort { $0.bytes.count > $1.bytes.count } }
    }

    func split(_ text: String) -> [TextSegment] {
        if isEmpty { return text.isEmpty ? [] : [.text(Substring(text))] }
        let utf8 = Array(text.utf8)
        var segments: [TextSegment] = []
        var textStart = 0, i = 0
        func flush(_ end: Int) {
            guard end > textStart else { return }
            segments.append(.text(Self.substring(text, textStart, end)))
        }
        while i < utf8.count {
            guard let candidates = byFirstByte[utf8[i]],
                  let hit = candidates.first(where: { Self.matches($0.bytes, utf8, at: i) }) else {
                i += 1
                continue
            }
            var start = i
            if hit.token.lstrip { while start > textStart, Self.isSpace(utf8[start - 1]) { start -= 1 } }
            flush(start)
            segments.append(.token(hit.token.id))
            i += hit.bytes.count
            if hit.token.rstrip { while i < utf8.count, Self.isSpace(utf8[i]) { i += 1 } }
            textStart = i
        }
        flush(utf8.count)
        return segments
    }

    private static func matches(_ pattern: [UInt8], _ utf8: [UInt8], at i: Int) -> Bool {
        guard utf8.count - i >= pattern.count else { return false }
        for k in 0..<pattern.count where utf8[i + k] != pattern[k] { return false }
        return true
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }

    /// Byte offsets always fall on character starts here (tokens are whole UTF-8 strings).
    private static func substring(_ s: String, _ from: Int, _ to: Int) -> Substring {
        let u = s.utf8
        let a = u.index(u.startIndex, offsetBy: from), b = u.index(u.startIndex, offsetBy: to)
        return s[a..<b]
    }
}
