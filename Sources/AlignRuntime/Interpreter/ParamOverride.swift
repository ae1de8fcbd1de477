/// A `name=value` command-line override of a script `param`.
public struct ParamOverride {
    public let name: String
    public let value: Value

    /// Ints, floats and `true`/`false`/`null` are parsed as such; anything else is a string.
    public static func parse(_ text: String) -> Result<ParamOverride, OverrideError> {
        guard let eq = text.firstIndex(of: "=") else {
            return .failure(OverrideError("expected `name=value`, got `\(text)`"))
        }
        let name = String(text[..<eq]), raw = String(text[text.index(after: eq)...])
        let isIdentifier = name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        guard isIdentifier else {
            return .failure(OverrideError("`\(name)` is not a valid param name in `\(text)`"))
        }
        return .success(ParamOverride(name: name, value: value(of: raw)))
    }

    static func value(of raw: String) -> Value {
        switch raw {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default: break
        }
        let digits = raw.filter { $0 != "_" }
        if let i = Int(digits) { return .int(i) }
        if let d = Double(digits), digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }),
           !digits.lowercased().contains("n") {
            return .float(d)
        }
        return .string(raw)
    }

    public struct OverrideError: Error, CustomStringConvertible {
        public let description: String
        init(_ d: String) { description = d }
    }
}
