import Foundation

/// `is` tests, global functions and the methods of strings and dicts.
///
/// Matches: jinja2 `tests.py` and `defaults.py` globals, Python `str`/`dict` methods, and the
/// globals transformers adds for chat templates (`raise_exception`, `strftime_now`).
extension TemplateInterpreter {
    func applyTest(_ name: String, _ v: TemplateValue, args: [TemplateValue], at: Int) throws(TemplateError) -> Bool {
        func other() throws(TemplateError) -> TemplateValue {
            guard let a = args.first else { throw TemplateError("test `\(name)` needs an argument", at: at) }
            return a
        }
        switch name {
        case "defined": return !v.isUndefined
        case "undefined": return v.isUndefined
        case "none": if case .none = v { return true } else { return false }
        case "string": if case .string = v { return true } else { return false }
        case "boolean": return v.isBoolLike
        case "true": if case .bool(true) = v { return true } else { return false }
        case "false": if case .bool(false) = v { return true } else { return false }
        case "integer": if case .int = v { return true } else { return false }
        case "float": if case .double = v { return true } else { return false }
        case "number": switch v { case .int, .double: return true; default: return false }
        case "mapping": switch v { case .object, .namespace: return true; default: return false }
        case "sequence", "iterable": switch v { case .array, .string, .object: return true; default: return false }
        case "callable": if case .callable = v { return true } else { return false }
        case "equalto", "eq", "==", "sameas": return v.equals(try other())
        case "ne", "!=": return !v.equals(try other())
        case "gt", "greaterthan": return try binary(">", v, try other(), at: at).isTruthy
        case "ge": return try binary(">=", v, try other(), at: at).isTruthy
        case "lt", "lessthan": return try binary("<", v, try other(), at: at).isTruthy
        case "le": return try binary("<=", v, try other(), at: at).isTruthy
        case "in": return try contains(try other(), v, at: at)
        case "odd", "even", "divisibleby":
            guard case .int(let i) = v else { throw TemplateError("test `\(name)` needs an integer", at: at) }
            if name == "odd" { return i % 2 != 0 }
            if name == "even" { return i % 2 == 0 }
            guard case .int(let d) = try other(), d != 0 else { throw TemplateError("divisibleby needs a non-zero integer", at: at) }
            return i % d == 0
        case "lower": return v.text == v.text.lowercased()
        case "upper": return v.text == v.text.uppercased()
        default: throw TemplateError("unknown test `\(name)`", at: at)
        }
    }

    /// Built afresh per render: values hold reference types that must not be shared.
    static var builtins: [String: TemplateValue] { [
        "raise_exception": .callable(TemplateCallable("raise_exception") { args, _, at throws(TemplateError) in
            throw TemplateError("raise_exception: " + (args.first?.text ?? ""), at: at)
        }),
        "namespace": .callable(TemplateCallable("namespace") { args, kwargs, _ in
            var o = TemplateObject()
            if case .object(let initial)? = args.first { o = initial }
            for (k, v) in kwargs { o[k] = v }
            return .namespace(TemplateNamespace(o))
        }),
        "dict": .callable(TemplateCallable("dict") { args, kwargs, _ in
            var o = TemplateObject()
            if case .object(let initial)? = args.first { o = initial }
            for (k, v) in kwargs { o[k] = v }
            return .object(o)
        }),
        "range": .callable(TemplateCallable("range") { args, _, at throws(TemplateError) in
            let ints = args.compactMap { if case .int(let i) = $0 { i } else { nil } }
            guard ints.count == args.count, (1...3).contains(ints.count) else { throw TemplateError("range needs 1 to 3 integers", at: at) }
            let (lo, hi, step) = ints.count == 1 ? (0, ints[0], 1) : (ints[0], ints[1], ints.count == 3 ? ints[2] : 1)
            guard step != 0 else { throw TemplateError("range step cannot be zero", at: at) }
            // In Double so extreme bounds cannot overflow.
            let span = (Double(hi) - Double(lo)) / Double(step)
            let n = span > 0 ? Int(span.rounded(.up).clamped(to: 0...2e6)) : 0
            guard n <= 1_000_000 else { throw TemplateError("range of over a million items is too large", at: at) }
            return .array((0..<n).map { .int(lo + $0 * step) })
        }),
        "strftime_now": .callable(TemplateCallable("strftime_now") { args, _, _ in
            var now = time(nil)
            var parts = tm()
            localtime_r(&now, &parts)
            var buffer = [CChar](repeating: 0, count: 256)
            let n = strftime(&buffer, buffer.count, args.first?.text ?? "%Y-%m-%d", &parts)
            return .string(String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }),
    ] }

    /// Bound methods: `s.strip()`, `s.split(',')`, `d.items()`, `d.get(k, x)`.
    func method(_ v: TemplateValue, _ name: String) -> TemplateCallable? {
        switch v {
        case .string(let s): return stringMethod(s, name)
        case .object(let o): return objectMethod(o, name)
        default: return nil
        }
    }

    private func objectMethod(_ o: TemplateObject, _ name: String) -> TemplateCallable? {
        switch name {
        case "items": return TemplateCallable(name) { _, _, _ in .array(o.keys.map { .array([.string($0), o[$0] ?? .none]) }) }
        case "keys": return TemplateCallable(name) { _, _, _ in .array(o.keys.map { .string($0) }) }
        case "values": return TemplateCallable(name) { _, _, _ in .array(o.keys.map { o[$0] ?? .none }) }
        case "get": return TemplateCallable(name) { args, _, _ in o[args.first?.text ?? ""] ?? (args.count > 1 ? args[1] : .none) }
        default: return nil
        }
    }

    private func stringMethod(_ s: String, _ name: String) -> TemplateCallable? {
        let body: TemplateCallable.Body
        switch name {
        case "strip", "lstrip", "rstrip":
            body = { args, _, _ in
                let chars = args.first.flatMap { $0.equals(.none) ? nil : $0.text }
                return .string(s.pythonStrip(chars, leading: name != "rstrip", trailing: name != "lstrip"))
            }
        case "upper": body = { _, _, _ in .string(s.uppercased()) }
        case "lower": body = { _, _, _ in .string(s.lowercased()) }
        case "title": body = { _, _, _ in .string(s.jinjaTitle()) }
        case "capitalize": body = { _, _, _ in .string(s.pythonCapitalized()) }
        case "startswith", "endswith":
            body = { args, _, _ in
                let options: [String]
                if case .array(let a)? = args.first { options = a.map(\.text) } else { options = [args.first?.text ?? ""] }
                return .bool(options.contains { name == "startswith" ? s.hasPrefixScalars($0) : s.hasSuffixScalars($0) })
            }
        case "split":
            body = { args, _, _ in
                let sep = args.first.flatMap { $0.equals(.none) ? nil : $0.text }
                let maxSplit = args.count > 1 ? (args[1].numeric.map { Int($0) } ?? -1) : -1
                return .array(s.pythonSplit(sep, maxSplit: maxSplit).map { .string($0) })
            }
        case "replace":
            body = { args, _, at throws(TemplateError) in
                guard args.count >= 2 else { throw TemplateError("replace needs two arguments", at: at) }
                return .string(s.pythonReplace(args[0].text, args[1].text, count: args.count > 2 ? args[2].numeric.map { Int($0) } : nil))
            }
        case "find":
            body = { args, _, _ in
                guard let needle = args.first?.text, let r = s.range(of: needle) else { return .int(-1) }
                return .int(s.distance(from: s.startIndex, to: r.lowerBound))
            }
        case "join":
            body = { [unowned self] args, _, at throws(TemplateError) in
                .string(try self.iterate(args.first ?? .array([]), at: at).map(\.text).joined(separator: s))
            }
        default: return nil
        }
        return TemplateCallable(name, body)
    }
}

extension Double {
    func clamped(to r: ClosedRange<Double>) -> Double { Swift.min(Swift.max(self, r.lowerBound), r.upperBound) }
}
