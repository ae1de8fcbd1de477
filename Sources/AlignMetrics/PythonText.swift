/// The few Python `str` behaviours the reference metrics rely on, over Unicode scalars.
///
/// Python strings are sequences of code points, so the ports work on `Unicode.Scalar`s, never on
/// `Character`s: grapheme clustering would glue `"\r\n"` or a combining accent onto the character a
/// pattern is looking for and change the tokens.
enum PythonText {
    /// Matches: CPython `Py_UNICODE_ISSPACE` (used by `str.split()` and `str.rstrip()`), which is
    /// not Unicode `White_Space`: it includes the separators U+001C…U+001F.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `str.split()` without arguments: runs of whitespace separate, no empty pieces.
    static func splitOnWhitespace(_ scalars: [Unicode.Scalar]) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in scalars {
            if isSpace(scalar) {
                if !current.isEmpty {
                    words.append(String(current))
                    current = String.UnicodeScalarView()
                }
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    /// `str.rstrip()` without arguments.
    static func rstrip(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var end = scalars.count
        while end > 0, isSpace(scalars[end - 1]) { end -= 1 }
        return Array(scalars[0..<end])
    }

    /// `str.replace(old, new)`: non-overlapping occurrences, scanned left to right.
    static func replace(_ scalars: [Unicode.Scalar], _ old: String, with new: String) -> [Unicode.Scalar] {
        let pattern = Array(old.unicodeScalars)
        let replacement = Array(new.unicodeScalars)
        guard !pattern.isEmpty, scalars.count >= pattern.count else { return scalars }
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        var index = 0
        while index < scalars.count {
            if scalars[index] == pattern[0], index + pattern.count <= scalars.count,
               scalars[index..<(index + pattern.count)].elementsEqual(pattern) {
                result.append(contentsOf: replacement)
                index += pattern.count
            } else {
                result.append(scalars[index])
                index += 1
            }
        }
        return result
    }

    /// `str.lower()` by each scalar's full lower-case mapping (so U+0130 becomes `i` + U+0307 and the
    /// Kelvin sign becomes `k`, as in Python). Python's context-dependent final sigma is not applied;
    /// every caller inspects only ASCII letters and digits, which it cannot affect.
    static func lower(_ text: String) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                let value = scalar.value
                result.append((0x41...0x5A).contains(value) ? Unicode.Scalar(UInt8(value + 0x20)) : scalar)
            } else {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return result
    }

    /// Whether `scalar` is an ASCII digit, the meaning of `[0-9]` in a Python `str` pattern.
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        (0x30...0x39).contains(scalar.value)
    }
}
