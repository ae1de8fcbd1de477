/// Terminal column widths of text, so grids line up with CJK text and emoji in the cells.
public enum TextWidth {
    /// Columns a character occupies: 2 for East Asian wide/fullwidth characters and emoji,
    /// 0 for control characters, else 1.
    /// Matches: the wide ranges of Unicode East Asian Width (`W`/`F`) as `wcwidth` uses them,
    /// coarsened to whole blocks.
    public static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if character.unicodeScalars.count > 1, character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) {
            return 2
        }
        return wideRanges.contains { $0.contains(v) } ? 2 : 1
    }

    /// Columns a string occupies.
    public static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// The longest prefix of `text` that fits in `width` columns, ending in `…` when cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        guard width > 0 else { return "" }
        var out = ""
        var used = 0
        for ch in text {
            let w = of(ch)
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }

    /// `text` padded with spaces to `width` columns, on the right (`left`) or on the left.
    public static func pad(_ text: String, to width: Int, alignLeft: Bool = true) -> String {
        let fill = String(repeating: " ", count: max(0, width - of(text)))
        return alignLeft ? text + fill : fill + text
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
