import AlignRuntime

/// Lists and records that do not fit on one line: one item per line, indented by two, nested
/// containers broken the same way only where they do not fit either (as Python's `pprint`).
extension ValueDisplay {
    /// `value` laid out starting `used` columns into a line indented by `indent`.
    func pretty(_ value: Value, indent: Int, used: Int) -> String {
        if let flat = flat(value, limit: width - used) { return flat }
        let pad = String(repeating: " ", count: indent)
        let inner = pad + "  "
        switch value {
        case .list(let items):
            var lines = ["["]
            for item in items.prefix(maxItems) {
                lines.append(inner + pretty(item, indent: indent + 2, used: indent + 2) + ",")
            }
            if items.count > maxItems { lines.append(inner + "… \(items.count - maxItems) more items") }
            lines.append(pad + "]")
            return lines.joined(separator: "\n")
        case .record(let r):
            var lines = ["{"]
            for (key, field) in r.pairs.prefix(maxItems) {
                let label = ValueDisplay.recordKey(key) + ": "
                let used = indent + 2 + TextWidth.of(label)
                lines.append(inner + label + pretty(field, indent: indent + 2, used: used) + ",")
            }
            if r.count > maxItems { lines.append(inner + "… \(r.count - maxItems) more fields") }
            lines.append(pad + "}")
            return lines.joined(separator: "\n")
        default:
            return value.reprString
        }
    }

    /// The one-line form, or nil when it is wider than `limit` (stops building as soon as it
    /// is, so a huge list costs no more than a line's worth of work).
    func flat(_ value: Value, limit: Int) -> String? {
        var out = ""
        var used = 0
        return appendFlat(value, to: &out, used: &used, limit: limit) ? out : nil
    }

    private func appendFlat(_ value: Value, to out: inout String, used: inout Int, limit: Int) -> Bool {
        func emit(_ text: String) -> Bool {
            used += TextWidth.of(text)
            out += text
            return used <= limit
        }
        switch value {
        case .list(let items):
            guard emit("[") else { return false }
            for (k, item) in items.enumerated() {
                if k > 0 { guard emit(", ") else { return false } }
                guard appendFlat(item, to: &out, used: &used, limit: limit) else { return false }
            }
            return emit("]")
        case .record(let r):
            guard emit("{") else { return false }
            for (k, pair) in r.pairs.enumerated() {
                if k > 0 { guard emit(", ") else { return false } }
                guard emit(ValueDisplay.recordKey(pair.key) + ": "),
                      appendFlat(pair.value, to: &out, used: &used, limit: limit) else { return false }
            }
            return emit("}")
        case .string(let s):
            // A literal is at least as wide as its text: skip quoting texts that cannot fit.
            guard s.utf8.count <= 4 * (limit - used + 1) || TextWidth.of(s) <= limit - used else { return false }
            return emit(value.reprString)
        default:
            return emit(value.reprString)
        }
    }

    /// A record key as a literal writes it: bare when it is an identifier, else quoted.
    static func recordKey(_ key: String) -> String {
        let isIdentifier = key.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && key.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return isIdentifier ? key : Value.quote(key)
    }
}
