import AlignRuntime

/// A JSON Schema (draft 4/7) checker for the keywords the nbformat 4 schemas use: `type`,
/// `$ref` (local `#/definitions/…`), `properties`, `patternProperties`, `additionalProperties`,
/// `required`, `enum`, `items`, `oneOf`, `not`, `pattern`, `minLength`, `maxLength`, `minimum`,
/// `maximum`, `uniqueItems`. `format` is an annotation here, as in jsonschema's default.
/// It is checked against nbformat's own validator on the cases in `nbformat_cases.json`.
struct JSONSchema {
    let root: Value

    /// Problems found, as `path: message`; empty when `instance` is valid.
    func errors(_ instance: Value) -> [String] {
        var found: [String] = []
        check(instance, against: root, at: "$", into: &found)
        return found
    }

    private func check(_ v: Value, against schema: Value, at path: String, into found: inout [String]) {
        guard case .record(let s) = schema else { return }
        if case .string(let ref)? = s["$ref"] {
            guard let target = resolve(ref) else { found.append("\(path): unresolvable $ref \(ref)"); return }
            check(v, against: target, at: path, into: &found)
            return
        }
        if let type = s["type"], !matches(v, type: type) {
            found.append("\(path): expected type \(type.reprString), found \(v.typeName)")
            return
        }
        if case .list(let options)? = s["enum"], !options.contains(where: { strictlyEqual($0, v) }) {
            found.append("\(path): \(v.reprString) is not one of \(options.map(\.reprString))")
        }
        if case .list(let options)? = s["oneOf"] {
            let passing = options.filter { option in
                var sub: [String] = []
                check(v, against: option, at: path, into: &sub)
                return sub.isEmpty
            }.count
            if passing != 1 { found.append("\(path): matches \(passing) of the oneOf schemas, not exactly 1") }
        }
        if let negated = s["not"] {
            var sub: [String] = []
            check(v, against: negated, at: path, into: &sub)
            if sub.isEmpty { found.append("\(path): matches a `not` schema") }
        }
        switch v {
        case .record(let object): checkObject(object, s, at: path, into: &found)
        case .list(let items): checkArray(items, s, at: path, into: &found)
        case .string(let text): checkString(text, s, at: path, into: &found)
        case .int, .float: checkNumber(v.number ?? 0, s, at: path, into: &found)
        default: break
        }
    }

    private func checkObject(_ object: Record, _ s: Record, at path: String, into found: inout [String]) {
        if case .list(let required)? = s["required"] {
            for case .string(let key) in required where object[key] == nil { found.append("\(path): missing `\(key)`") }
        }
        var properties = Record()
        if case .record(let p)? = s["properties"] { properties = p }
        var patterns: [(Regex<AnyRegexOutput>, Value)] = []
        if case .record(let p)? = s["patternProperties"] {
            for (pattern, schema) in p.pairs {
                guard let regex = try? Regex(pattern) else { found.append("\(path): bad pattern \(pattern)"); continue }
                patterns.append((regex, schema))
            }
        }
        for (key, value) in object.pairs {
            var covered = false
            if let schema = properties[key] {
                covered = true
                check(value, against: schema, at: "\(path).\(key)", into: &found)
            }
            for (regex, schema) in patterns where key.contains(regex) {
                covered = true
                check(value, against: schema, at: "\(path).\(key)", into: &found)
            }
            guard !covered, let extra = s["additionalProperties"] else { continue }
            if case .bool(false) = extra {
                found.append("\(path): unexpected property `\(key)`")
            } else {
                check(value, against: extra, at: "\(path).\(key)", into: &found)
            }
        }
    }

    private func checkArray(_ items: [Value], _ s: Record, at path: String, into found: inout [String]) {
        if let schema = s["items"] {
            for (k, item) in items.enumerated() { check(item, against: schema, at: "\(path)[\(k)]", into: &found) }
        }
        if case .bool(true)? = s["uniqueItems"] {
            for i in items.indices where items[..<i].contains(where: { strictlyEqual($0, items[i]) }) {
                found.append("\(path)[\(i)]: repeated item")
            }
        }
    }

    private func checkString(_ text: String, _ s: Record, at path: String, into found: inout [String]) {
        if case .string(let pattern)? = s["pattern"] {
            if let regex = try? Regex(pattern) {
                if !text.contains(regex) { found.append("\(path): \(text.debugDescription) does not match \(pattern)") }
            } else {
                found.append("\(path): bad pattern \(pattern)")
            }
        }
        let length = text.unicodeScalars.count
        if let min = s["minLength"]?.number, Double(length) < min { found.append("\(path): shorter than \(min)") }
        if let max = s["maxLength"]?.number, Double(length) > max { found.append("\(path): longer than \(max)") }
    }

    private func checkNumber(_ n: Double, _ s: Record, at path: String, into found: inout [String]) {
        if let min = s["minimum"]?.number, n < min { found.append("\(path): below the minimum \(min)") }
        if let max = s["maximum"]?.number, n > max { found.append("\(path): above the maximum \(max)") }
    }

    private func matches(_ v: Value, type: Value) -> Bool {
        switch type {
        case .list(let types): return types.contains { matches(v, type: $0) }
        case .string(let name):
            switch (name, v) {
            case ("object", .record), ("array", .list), ("string", .string), ("boolean", .bool), ("null", .null),
                 ("integer", .int), ("number", .int), ("number", .float):
                return true
            case ("integer", .float(let d)):
                return d.rounded() == d
            default:
                return false
            }
        default: return true
        }
    }

    /// JSON equality: `1` and `true` differ (the language's `==` is looser).
    private func strictlyEqual(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.bool, .int), (.int, .bool), (.bool, .float), (.float, .bool): return false
        default: return a == b
        }
    }

    private func resolve(_ ref: String) -> Value? {
        guard ref.hasPrefix("#/") else { return ref == "#" ? root : nil }
        var node = root
        for part in ref.dropFirst(2).split(separator: "/") {
            guard case .record(let r) = node, let next = r[String(part)] else { return nil }
            node = next
        }
        return node
    }
}
