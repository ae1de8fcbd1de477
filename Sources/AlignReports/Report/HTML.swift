/// Escaping for text placed in an HTML page. Run rows hold arbitrary model output, so every piece
/// of data goes through one of these before it reaches the page.
///
/// Matches: the HTML Living Standard's serialisation rules ("escaping a string"): `&`, `<`, `>`
/// in text; additionally `"` and `'` so one function is safe in quoted attributes too.
public enum HTML {
    /// Text safe inside an element or a quoted attribute value.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters other than tab and newlines are not allowed in HTML text.
            case "\u{00}"..."\u{08}", "\u{0B}", "\u{0E}"..."\u{1F}", "\u{7F}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
