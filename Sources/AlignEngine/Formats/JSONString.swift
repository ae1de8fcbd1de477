/// JSON string literals for every module that writes JSON (run files, chat-template `tojson`,
/// the server's answers), escaped the one way Python's `json.dumps(s, ensure_ascii=False)` does,
/// so text written by align reads back byte for byte where the Python tools compare it.
/// Matches: CPython `json.encoder.py_encode_basestring` (`"`, `\`, the short escapes
/// `\n \r \t \b \f`, other control characters as `\u00XX`; everything else as UTF-8).
public enum JSONString {
    /// Appends `s`, quoted and escaped, to `out`.
    public static func append(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// `s` quoted and escaped.
    public static func quoted(_ s: String) -> String {
        var out = ""
        append(s, to: &out)
        return out
    }
}
