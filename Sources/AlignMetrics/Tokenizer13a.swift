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
        line = padPunctuation(line)
        line = spacePeriodsAndCommasAfterNonDigits(line)
        line = spacePeriodsAndCommasBeforeNonDigits(line)
        line = spaceDashesAfterDigits(line)
        return PythonText.splitOnWhitespace(line)
    }

    /// Rule 1, `([\{-\~\[-\` -\&\(-\+\:-\@\/])` → ` \1 `, on the line padded with one space each side.
    private static func padPunctuation(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = [" "]
        result.reserveCapacity(line.count * 2 + 2)
        for scalar in line {
            if isPaddedSymbol(scalar) {
                result.append(" ")
                result.append(scalar)
                result.append(" ")
            } else {
                result.append(scalar)
            }
        }
        result.append(" ")
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

    /// Where rules 2–4 put the spaces around a matched pair `\1\2`.
    private enum PairSpacing {
        /// `\1 \2 ` (rules 2 and 4)
        case afterEach
        /// ` \1 \2` (rule 3)
        case beforeEach
    }

    /// Rule 2, `([^0-9])([\.,])` → `\1 \2 `.
    private static func spacePeriodsAndCommasAfterNonDigits(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        rewritePairs(line, spacing: .afterEach) { !PythonText.isDigit($0) && isPeriodOrComma($1) }
    }

    /// Rule 3, `([\.,])([^0-9])` → ` \1 \2`.
    private static func spacePeriodsAndCommasBeforeNonDigits(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        rewritePairs(line, spacing: .beforeEach) { isPeriodOrComma($0) && !PythonText.isDigit($1) }
    }

    /// Rule 4, `([0-9])(-)` → `\1 \2 `.
    private static func spaceDashesAfterDigits(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        rewritePairs(line, spacing: .afterEach) { PythonText.isDigit($0) && $1 == "-" }
    }

    /// One left-to-right, non-overlapping pass of a two-character `re.sub`, as Python does it:
    /// after a match the scan resumes behind the pair.
    private static func rewritePairs(_ line: [Unicode.Scalar], spacing: PairSpacing,
                                     matches: (Unicode.Scalar, Unicode.Scalar) -> Bool) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(line.count + line.count / 2)
        var index = 0
        while index < line.count {
            let scalar = line[index]
            if index + 1 < line.count, matches(scalar, line[index + 1]) {
                if spacing == .beforeEach { result.append(" ") }
                result.append(scalar)
                result.append(" ")
                result.append(line[index + 1])
                if spacing == .afterEach { result.append(" ") }
                index += 2
            } else {
                result.append(scalar)
                index += 1
            }
        }
        return result
    }
}
