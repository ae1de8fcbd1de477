/// JSON text of template values for the `tojson` filter (tool definitions, arguments).
///
/// Matches: transformers' chat-template `tojson` = Python `json.dumps(x, ensure_ascii=False,
/// indent=indent)`: `", "`/`": "` separators without indent, `","` and newlines with it.
enum TemplateJSON {
    static func encode(_ v: TemplateValue, indent: Int?, at: Int) throws(TemplateError) -> String {
        var out = ""
        try write(v, indent: indent, level: 0, into: &out, at: at)
        return out
    }

    private static func write(_ v: TemplateValue, indent: Int?, level: Int, into out: inout String, at: Int) throws(TemplateError) {
        guard level < 100 else { throw TemplateError("tojson: value nests too deep", at: at) }
        func newline(_ l: Int) {
            if let indent { out += "\n" + String(repeating: " ", count: indent * l) }
        }
        switch v {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isNaN ? "NaN" : d.isInfinite ? (d < 0 ? "-Infinity" : "Infinity") : TemplateValue.pythonFloat(d)
        case .string(let s): JSONString.append(s, to: &out)
        case .array(let a):
            guard !a.isEmpty else { out += "[]"; return }
            out += "["
            for (k, item) in a.enumerated() {
                if k > 0 { out += indent == nil ? ", " : "," }
                newline(level + 1)
                try write(item, indent: indent, level: level + 1, into: &out, at: at)
            }
            newline(level)
            out += "]"
        case .object(let o):
            try writeObject(o, indent: indent, level: level, into: &out, at: at)
        case .namespace(let ns):
            try writeObject(ns.object, indent: indent, level: level, into: &out, at: at)
        case .undefined(let n): throw TemplateError("tojson: `\(n)` is undefined", at: at)
        case .callable(let c): throw TemplateError("tojson: function \(c.name) is not JSON serializable", at: at)
        case .loop: throw TemplateError("tojson: loop is not JSON serializable", at: at)
        }
    }

    private static func writeObject(_ o: TemplateObject, indent: Int?, level: Int, into out: inout String, at: Int) throws(TemplateError) {
        guard !o.keys.isEmpty else { out += "{}"; return }
        out += "{"
        for (k, key) in o.keys.enumerated() {
            if k > 0 { out += indent == nil ? ", " : "," }
            if let indent { out += "\n" + String(repeating: " ", count: indent * (level + 1)) }
            JSONString.append(key, to: &out)
            out += ": "
            try write(o[key] ?? .none, indent: indent, level: level + 1, into: &out, at: at)
        }
        if let indent { out += "\n" + String(repeating: " ", count: indent * level) }
        out += "}"
    }
}
