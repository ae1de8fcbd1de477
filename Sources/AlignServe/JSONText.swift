import AlignEngine

/// A JSON value to send, with object keys kept in the order written (OpenAI's documented field
/// order) and explicit nulls (`"finish_reason": null` in stream chunks).
public indirect enum JSONText: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONText])
    case object([(String, JSONText)])

    public static func == (a: JSONText, b: JSONText) -> Bool { a.serialized == b.serialized }

    /// Compact JSON (RFC 8259). Non-finite numbers, which JSON cannot hold, become null.
    public var serialized: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let d): out += d.isFinite ? "\(d)" : "null"
        case .string(let s): JSONString.append(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, (key, value)) in fields.enumerated() {
                if i > 0 { out += "," }
                JSONString.append(key, to: &out)
                out += ":"
                value.write(into: &out)
            }
            out += "}"
        }
    }

    public static func optional(_ s: String?) -> JSONText { s.map(JSONText.string) ?? .null }
}
