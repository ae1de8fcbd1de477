/// The `|filter`s chat templates use.
///
/// Matches: jinja2 `filters.py` (`trim`, `length`, `default`, `join`, `map`, `selectattr`, …) and
/// transformers' own `tojson` (`json.dumps(x, ensure_ascii=False, indent=…)`).
extension TemplateInterpreter {
    func applyFilter(_ name: String, _ v: TemplateValue, args: [TemplateValue], kwargs: [(String, TemplateValue)],
                     at: Int) throws(TemplateError) -> TemplateValue {
        func arg(_ i: Int, _ key: String) -> TemplateValue? {
            i < args.count ? args[i] : kwargs.first { $0.0 == key }?.1
        }
        func string() throws(TemplateError) -> String {
            if case .undefined(let n) = v { throw TemplateError("`\(n)` is undefined (filter `\(name)`)", at: at) }
            return v.text
        }
        switch name {
        case "trim":
            return .string(try string().pythonStrip(arg(0, "chars")?.text, leading: true, trailing: true))
        case "upper": return .string(try string().uppercased())
        case "lower": return .string(try string().lowercased())
        case "capitalize": return .string(try string().pythonCapitalized())
        case "title": return .string(try string().jinjaTitle())
        case "string": return .string(v.text)
        case "safe", "e", "escape", "forceescape":
            return name == "safe" ? v : .string(try string().htmlEscaped())
        case "length", "count":
            switch v {
            case .string(let s): return .int(s.count)
            case .array(let a): return .int(a.count)
            case .object(let o): return .int(o.keys.count)
            case .namespace(let ns): return .int(ns.object.keys.count)
            case .undefined: return .int(0)
            default: throw TemplateError("\(v.typeName) has no length", at: at)
            }
        case "default", "d":
            let useFalsy = arg(1, "boolean")?.isTruthy ?? false
            if v.isUndefined || (useFalsy && !v.isTruthy) { return arg(0, "default_value") ?? .string("") }
            return v
        case "join":
            let separator = arg(0, "d")?.text ?? ""
            var items = try iterate(v, at: at)
            if let attr = arg(1, "attribute") { items = try items.map { (x) throws(TemplateError) in try attribute(x, attr.text, at: at) } }
            return .string(items.map(\.text).joined(separator: separator))
        case "first", "last":
            let items = try iterate(v, at: at)
            return (name == "first" ? items.first : items.last) ?? .undefined(name)
        case "list": return .array(try iterate(v, at: at))
        case "reverse":
            if case .string(let s) = v { return .string(String(s.reversed())) }
            return .array(try iterate(v, at: at).reversed())
        case "unique":
            var seen: [TemplateValue] = []
            for x in try iterate(v, at: at) where !seen.contains(where: { $0.equals(x) }) { seen.append(x) }
            return .array(seen)
        case "items":
            guard case .object(let o) = v else { throw TemplateError("`items` needs a dict, not \(v.typeName)", at: at) }
            return .array(o.keys.map { .array([.string($0), o[$0] ?? .none]) })
        case "int":
            switch v {
            case .int: return v
            case .double(let d): return d.isFinite && abs(d) < 9e18 ? .int(Int(d)) : (arg(0, "default") ?? .int(0))
            case .bool(let b): return .int(b ? 1 : 0)
            case .string(let s): return Int(s.pythonStrip(nil, leading: true, trailing: true)).map { .int($0) } ?? (arg(0, "default") ?? .int(0))
            default: return arg(0, "default") ?? .int(0)
            }
        case "float":
            if let d = v.numeric { return .double(d) }
            if case .string(let s) = v, let d = Double(s.pythonStrip(nil, leading: true, trailing: true)) { return .double(d) }
            return arg(0, "default") ?? .double(0)
        case "abs":
            switch v {
            case .int(let i): return i == .min ? .double(-Double(i)) : .int(abs(i))
            case .double(let d): return .double(abs(d))
            default: throw TemplateError("bad operand for abs: \(v.typeName)", at: at)
            }
        case "replace":
            guard let old = arg(0, "old")?.text, let new = arg(1, "new")?.text else {
                throw TemplateError("`replace` needs the old and new strings", at: at)
            }
            return .string(try string().pythonReplace(old, new, count: arg(2, "count").flatMap { if case .int(let c) = $0 { c } else { nil } }))
        case "indent":
            return .string(try string().jinjaIndent(width: arg(0, "width").map(\.text) ?? "    ",
                                                   first: arg(1, "first")?.isTruthy ?? false, blank: arg(2, "blank")?.isTruthy ?? false))
        case "tojson":
            var indent: Int?
            if case .int(let n)? = arg(0, "indent") { indent = n }
            return .string(try TemplateJSON.encode(v, indent: indent, at: at))
        case "map", "select", "reject", "selectattr", "rejectattr":
            return .array(try filterSequence(name, try iterate(v, at: at), args: args, kwargs: kwargs, at: at))
        case "sum":
            var total: TemplateValue = .int(0)
            for x in try iterate(v, at: at) { total = try binary("+", total, x, at: at) }
            return total
        case "min", "max":
            let items = try iterate(v, at: at)
            guard var best = items.first else { return .undefined(name) }
            for x in items.dropFirst() where try binary(name == "min" ? "<" : ">", x, best, at: at).isTruthy { best = x }
            return best
        default:
            throw TemplateError("unknown filter `\(name)`", at: at)
        }
    }

    /// `map(attribute=…)` / `map('filter')`, `select('test')`, `selectattr('attr', 'test', …)`.
    private func filterSequence(_ name: String, _ items: [TemplateValue], args: [TemplateValue], kwargs: [(String, TemplateValue)],
                                at: Int) throws(TemplateError) -> [TemplateValue] {
        if name == "map" {
            if let attr = kwargs.first(where: { $0.0 == "attribute" })?.1.text {
                let fallback = kwargs.first { $0.0 == "default" }?.1
                return try items.map { (x) throws(TemplateError) in
                    let r = try attribute(x, attr, at: at)
                    return r.isUndefined ? (fallback ?? r) : r
                }
            }
            guard let filter = args.first?.text else { throw TemplateError("`map` needs a filter name or attribute=", at: at) }
            return try items.map { (x) throws(TemplateError) in try applyFilter(filter, x, args: Array(args.dropFirst()), kwargs: [], at: at) }
        }
        let byAttribute = name.hasSuffix("attr")
        let keep = name.hasPrefix("select")
        let attr = byAttribute ? args.first?.text : nil
        let rest = byAttribute ? Array(args.dropFirst()) : args
        var out: [TemplateValue] = []
        for x in items {
            let subject = try attr.map { (a) throws(TemplateError) in try attribute(x, a, at: at) } ?? x
            let passes = try rest.first.map { (t) throws(TemplateError) in
                try applyTest(t.text, subject, args: Array(rest.dropFirst()), at: at)
            } ?? subject.isTruthy
            if passes == keep { out.append(x) }
        }
        return out
    }
}
