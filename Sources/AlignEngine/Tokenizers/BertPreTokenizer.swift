import Foundation

/// BERT's text clean-up and word splitting ahead of WordPiece: drop control characters, map
/// whitespace to spaces, put spaces around CJK ideographs, lower-case and strip accents, split on
/// whitespace and isolate every punctuation character.
///
/// Matches: HF `tokenizers` `BertNormalizer` + `BertPreTokenizer` (Google BERT `BasicTokenizer`).
struct BertPreTokenizer: Sendable {
    var cleanText = true
    var handleChineseChars = true
    var lowercase = true
    /// Defaults to `lowercase` when the file leaves it unset, as in BERT.
    var stripAccents = true

    func words(_ text: Substring) -> [String] {
        var normalized = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if cleanText {
                if s.value == 0 || s.value == 0xFFFD || Self.isControl(s) { continue }
                if Self.isWhitespace(s) { normalized.append(" "); continue }
            }
            if handleChineseChars, Self.isChinese(s) {
                normalized.append(" ")
                normalized.append(s)
                normalized.append(" ")
            } else {
                normalized.append(s)
            }
        }
        var string = String(normalized)
        if stripAccents, !string.utf8.allSatisfy({ $0 < 0x80 }) {
            let decomposed = string.decomposedStringWithCanonicalMapping.unicodeScalars
            string = String(String.UnicodeScalarView(decomposed.filter { $0.properties.generalCategory != .nonspacingMark }))
        }
        if lowercase { string = string.lowercased() }

        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(String(current)); current = String.UnicodeScalarView() }
        }
        for s in string.unicodeScalars {
            if Self.isWhitespace(s) {
                flush()
            } else if Self.isPunctuation(s) {
                flush()
                words.append(String(s))
            } else {
                current.append(s)
            }
        }
        flush()
        return words
    }

    /// ASCII is decided without Unicode property lookups, which dominate the cost otherwise.
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        if s.value < 128 { return s == " " || s == "\t" || s == "\n" || s == "\r" || s == "\u{0B}" || s == "\u{0C}" }
        return s.properties.generalCategory == .spaceSeparator || s.properties.isWhitespace
    }

    /// Cc/Cf/Co/Cs/Cn, except the whitespace controls.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        if s == "\t" || s == "\n" || s == "\r" { return false }
        if s.value < 128 { return s.value < 32 || s.value == 127 }
        switch s.properties.generalCategory {
        case .control, .format, .privateUse, .surrogate, .unassigned: return true
        default: return false
        }
    }

    /// ASCII symbols count as punctuation too (`$`, `^`, `` ` ``), as in BERT.
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 128 { return (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    static func isChinese(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F: return true
        default: return false
        }
    }
}
