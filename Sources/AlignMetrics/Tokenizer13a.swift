/// The `13a` tokenizer of WMT's `mteval-v13a.pl`, the default of sacreBLEU and of HF `evaluate` "bleu".
///
/// Matches: sacrebleu 2.6.0 `tokenizers/tokenizer_13a.py` + `tokenizer_re.py` (HF `evaluate`'s
/// `tokenizer_13a.py` is a copy). Steps, in order: drop `<skipped>`, join `-\n` line breaks, turn
/// newlines into spaces, unescape `&quot;` `&amp;` `&lt;` `&gt;` (one pass each, in that order, only
/// when the line has a `&`), pad with one space each side, then four rewrite rules applied one after
/// the other, each scanning left to right without overlapping matches as Python's `re.sub` does:
/// 1. pad every ASCII punctuation or symbol except `'`, `,`, `-`, `.` with spaces;
/// 2. a `.` or `,` after a non-digit gets spaces (`\1 \2 `);
/// 3. a `.` or `,` before a non-digit gets spaces (` \1 \2`);
/// 4. a `-` after a digit gets spaces (`\1 \2 `);
/// and finally split on Python whitespace.
public enum Tokenizer13a {
    /// The tokens of `line`, case kept.
    public static func tokenize(_ line: String) -> [String] {
        tokenize(scalars: Array(line.unicodeScalars))
    }

    static func tokenize(scalars input: [Unicode.Scalar]) -> [String] {
        var line = PythonText.replace(input, "<skipped>", with: "")
        line = PythonText.replace(line, "-\n", with: "")
        line = PythonText.replace(line, "\n", with: " ")
        if line.contains("&") {
            for (entity, text) in [("&quot;", "\""), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">")] {
                line = PythonText.replace(line, entity, with: text)
            }
        }
        line = [" "] + line + [" "]
        line = padPunctuation(line)
        line = rewritePairs(line, matches: { !PythonText.isDigit($0) && isPeriodOrComma($1) }, spaced: { [$0, " ", $1, " "] })
        line = rewritePairs(line, matches: { isPeriodOrComma($0) && !PythonText.isDigit($1) }, spaced: { [" ", $0, " ", $1] })
        line = rewritePairs(line, matches: { PythonText.isDigit($0) && $1 == "-" }, spaced: { [$0, " ", $1, " "] })
        return PythonText.splitOnWhitespace(line)
    }

    /// Rule 1: the class `[\{-\~\[-\` -\&\(-\+\:-\@\/]`.
    private static func padPunctuation(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(line.count * 2)
        for scalar in line {
            if isPaddedSymbol(scalar) {
                result.append(contentsOf: [" ", scalar, " "])
            } else {
                result.append(scalar)
            }
        }
        return result
    }

    private static func isPaddedSymbol(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x7B...0x7E, 0x5B...0x60, 0x20...0x26, 0x28...0x2B, 0x3A...0x40, 0x2F: return true
        default: return false
        }
    }

    private static func isPeriodOrComma(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "." || scalar == ","
    }

    /// Rules 2–4: a two-character pattern replaced by `spaced`, matches consumed left to right.
    private static func rewritePairs(
        _ line: [Unicode.Scalar],
        matches: (Unicode.Scalar, Unicode.Scalar) -> Bool,
        spaced: (Unicode.Scalar, Unicode.Scalar) -> [Unicode.Scalar]
    ) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(line.count + line.count / 2)
        var index = 0
        while index < line.count {
            if index + 1 < line.count, matches(line[index], line[index + 1]) {
                result.append(contentsOf: spaced(line[index], line[index + 1]))
                index += 2
            } else {
                result.append(line[index])
                index += 1
            }
        }
        return result
    }
}
