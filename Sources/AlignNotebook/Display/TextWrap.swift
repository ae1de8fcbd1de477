import AlignRuntime

/// Greedy word wrapping by terminal columns (wide characters count two).
enum TextWrap {
    /// The lines of `text` (existing line breaks kept) wrapped at `width` columns; a word wider
    /// than the line is cut.
    static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                var piece = String(word)
                var pieceWidth = TextWidth.of(piece)
                if lineWidth > 0 && lineWidth + 1 + pieceWidth <= width {
                    line += " " + piece
                    lineWidth += 1 + pieceWidth
                    continue
                }
                if lineWidth > 0 || !line.isEmpty {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                while pieceWidth > width {
                    let (head, rest) = split(piece, at: width)
                    lines.append(head)
                    piece = rest
                    pieceWidth = TextWidth.of(piece)
                }
                line = piece
                lineWidth = pieceWidth
            }
            lines.append(line)
        }
        return lines
    }

    /// The longest prefix of `text` at most `width` columns wide (at least one character).
    private static func split(_ text: String, at width: Int) -> (String, String) {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let w = TextWidth.of(text[index])
            if used + w > width && end > text.startIndex { break }
            used += w
            end = text.index(after: index)
        }
        return (String(text[..<end]), String(text[end...]))
    }
}
