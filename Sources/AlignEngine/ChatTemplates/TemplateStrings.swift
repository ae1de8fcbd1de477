/// Python string operations the template language exposes, on Unicode scalars as Python does.
extension String {
    /// `str.strip([chars])`: whitespace, or the given characters.
    func pythonStrip(_ chars: String?, leading: Bool, trailing: Bool) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        func strip(_ c: Unicode.Scalar) -> Bool { set?.contains(c) ?? c.properties.isWhitespace }
        var scalars = Substring(self).unicodeScalars[...]
        if leading { while let f = scalars.first, strip(f) { scalars.removeFirst() } }
        if trailing { while let l = scalars.last, strip(l) { scalars.removeLast() } }
        return String(String.UnicodeScalarView(scalars))
    }

    /// `str.split(sep=None, maxsplit=-1)`.
    func pythonSplit(_ sep: String?, maxSplit: Int) -> [String] {
        var out: [String] = []
        guard let sep, !sep.isEmpty else {
            var rest = Substring(self)
            while true {
                rest = rest.drop { $0.isWhitespace }
                if rest.isEmpty { return out }
                if maxSplit >= 0, out.count == maxSplit { out.append(String(rest.reversed().drop { $0.isWhitespace }.reversed())); return out }
                let word = rest.prefix { !$0.isWhitespace }
                out.append(String(word))
                rest = rest.dropFirst(word.count)
            }
        }
        var rest = Substring(self)
        while maxSplit < 0 || out.count < maxSplit, let r = rest.range(of: sep) {
            out.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        out.append(String(rest))
        return out
    }

    func pythonReplace(_ old: String, _ new: String, count: Int?) -> String {
        guard let count, count >= 0 else { return old.isEmpty ? self : replacing(old, with: new) }
        var out = ""
        var rest = Substring(self)
        var done = 0
        while done < count, !old.isEmpty, let r = rest.range(of: old) {
            out += rest[..<r.lowerBound] + new
            rest = rest[r.upperBound...]
            done += 1
        }
        return out + rest
    }

    func pythonCapitalized() -> String {
        guard let first = first else { return self }
        return first.uppercased() + dropFirst().lowercased()
    }

    /// jinja2 `title`: upper-case the first letter of each word, lower-case the rest.
    func jinjaTitle() -> String {
        var out = ""
        var atWordStart = true
        for c in self {
            out += atWordStart ? c.uppercased() : c.lowercased()
            atWordStart = c.isWhitespace || "-([{<".contains(c)
        }
        return out
    }

    /// jinja2 `indent(width, first, blank)`.
    func jinjaIndent(width: String, first: Bool, blank: Bool) -> String {
        let pad = Int(width).map { String(repeating: " ", count: max(0, $0)) } ?? width
        var lines = split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for k in lines.indices where (k > 0 || first) && (blank || !lines[k].allSatisfy(\.isWhitespace)) {
            lines[k] = pad + lines[k]
        }
        return lines.joined(separator: "\n")
    }

    func htmlEscaped() -> String {
        var out = ""
        for c in unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Prefix tests by scalars (Swift's `hasPrefix` compares by characters, so `"e\u{301}"` would
    /// not start with `"e"`; Python's would).
    func hasPrefixScalars(_ p: String) -> Bool { unicodeScalars.starts(with: p.unicodeScalars) }
    func hasSuffixScalars(_ p: String) -> Bool { unicodeScalars.reversed().starts(with: p.unicodeScalars.reversed()) }
}
