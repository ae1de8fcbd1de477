import AlignSyntax

/// `format(template, values…)`: Python `str.format`-style placeholders, for templates built at
/// run time (string literals interpolate `{expr}` directly, so write templates as raw strings
/// `r"…"` or escape braces as `\{`).
extension Builtins {
    static var formatting: [Builtin] {
        [
            Builtin("format", [.init("template")], variadic: true,
                    doc: "Fills `{}` with the next value, `{0}` with value 0 and `{name}` with that field of a record value; `{x:.2f}` gives 2 decimals; `{{`/`}}` are literal braces. `format(r\"{} of {}\", 3, 10) == \"3 of 10\"`") { call in
                .string(try format(call))
            },
        ]
    }

    private static func format(_ call: BuiltinCall) throws -> String {
        let template = try call.string(0, "template")
        let values = call.rest
        var out = ""
        var next = 0
        var chars = template[...]
        func fail(_ message: String, help: String? = nil) -> Diagnostic {
            call.error(argument: 0, message, help: help)
        }
        while let ch = chars.first {
            chars = chars.dropFirst()
            if ch == "}" {
                guard chars.first == "}" else { throw fail("single `}` in template", help: "write `}}` for a literal brace") }
                chars = chars.dropFirst()
                out.append("}")
                continue
            }
            guard ch == "{" else { out.append(ch); continue }
            if chars.first == "{" {
                chars = chars.dropFirst()
                out.append("{")
                continue
            }
            guard let close = chars.firstIndex(of: "}") else {
                throw fail("unclosed `{` in template", help: "write `{{` for a literal brace")
            }
            let placeholder = chars[..<close]
            chars = chars[chars.index(after: close)...]
            let parts = placeholder.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts.first ?? "")
            let value: Value
            if name.isEmpty {
                guard next < values.count else {
                    throw fail("the template has more `{}` than the \(values.count) value\(values.count == 1 ? "" : "s") given")
                }
                value = values[next]
                next += 1
            } else if let index = Int(name) {
                guard index >= 0 && index < values.count else {
                    throw fail("`{\(index)}` is past the last of the \(values.count) value\(values.count == 1 ? "" : "s") given")
                }
                value = values[index]
            } else {
                value = try fieldValue(named: name, in: values, fail: fail)
            }
            out += try formatted(value, spec: parts.count > 1 ? String(parts[1]) : nil, fail: fail)
        }
        return out
    }

    private static func fieldValue(named name: String, in values: [Value],
                              fail: (String, String?) -> Diagnostic) throws -> Value {
        var known: [String] = []
        for case .record(let r) in values {
            if let v = r[name] { return v }
            known += r.keys
        }
        if known.isEmpty { throw fail("`{\(name)}` needs a record value with a field `\(name)`", nil) }
        throw fail("no field `\(name)` in the record values", didYouMean(name, among: known))
    }

    /// Applies a format spec: only `.Nf` (fixed decimals) is supported.
    private static func formatted(_ value: Value, spec: String?, fail: (String, String?) -> Diagnostic) throws -> String {
        guard let spec else { return value.displayString }
        guard spec.hasPrefix("."), spec.hasSuffix("f"), let digits = Int(spec.dropFirst().dropLast()), digits >= 0 else {
            throw fail("unsupported format spec `:\(spec)`", "only `:.Nf` (N decimals) is supported, as in `{:.2f}`")
        }
        guard let d = value.number else { throw fail("`:\(spec)` needs a number, found \(value.typeName)", nil) }
        if d.isNaN || d.isInfinite { return Value.formatFloat(d) }
        return DecimalText.fixed(d, digits: digits)
    }
}
