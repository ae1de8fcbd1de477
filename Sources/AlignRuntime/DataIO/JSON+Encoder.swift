import AlignEngine

/// Raised when a value has no JSON form (functions, modules, models).
public struct JSONEncodingError: Error, Sendable {
    public let typeName: String
    public var message: String { "cannot write a \(typeName) as JSON" }
}

extension JSON {
    /// JSON text for a value, byte for byte what Python's `json.dumps(x, ensure_ascii=False)`
    /// writes (or with `indent:` what `json.dumps(x, ensure_ascii=False, indent=n)` writes):
    /// records keep their key order, floats use `repr` (`1e-05`, `NaN`, `Infinity`), tables
    /// become arrays of row objects and objectives their text.
    /// Matches: CPython 3 `json` encoder (`encode_basestring`, default separators).
    public static func encode(_ value: Value, indent: Int? = nil) throws -> String {
        var out = ""
        try encode(value, indent: indent, level: 0, into: &out)
        return out
    }

    private static func encode(_ value: Value, indent: Int?, level: Int, into out: inout String) throws {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else {
                out += Value.formatFloat(d)
            }
        case .string(let s): JSONString.append(s, to: &out)
        case .objective(let o): JSONString.append(o.text, to: &out)
        case .list(let items):
            try encodeContainer(items.count, open: "[", close: "]", indent: indent, level: level, into: &out) { k, out in
                try encode(items[k], indent: indent, level: level + 1, into: &out)
            }
        case .record(let r):
            try encodeContainer(r.count, open: "{", close: "}", indent: indent, level: level, into: &out) { k, out in
                JSONString.append(r.keys[k], to: &out)
                out += ": "
                try encode(r.values[k], indent: indent, level: level + 1, into: &out)
            }
        case .table(let t):
            try encode(.list(t.rows.map(Value.record)), indent: indent, level: level, into: &out)
        case .function, .module, .handle:
            throw JSONEncodingError(typeName: value.typeName)
        }
    }

    private static func encodeContainer(_ count: Int, open: String, close: String, indent: Int?, level: Int,
                                        into out: inout String,
                                        element: (Int, inout String) throws -> Void) throws {
        out += open
        guard count > 0 else { out += close; return }
        let inner = indent.map { "\n" + String(repeating: " ", count: $0 * (level + 1)) }
        for k in 0..<count {
            if k > 0 { out += indent == nil ? ", " : "," }
            if let inner { out += inner }
            try element(k, &out)
        }
        if let indent { out += "\n" + String(repeating: " ", count: indent * level) }
        out += close
    }
}
