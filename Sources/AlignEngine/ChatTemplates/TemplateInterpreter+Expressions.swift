import Foundation

/// Expression evaluation with Python semantics for operators, indexing and slicing.
extension TemplateInterpreter {
    func evaluate(_ e: TemplateExpr) throws(TemplateError) -> TemplateValue {
        switch e {
        case .literal(let v): return v
        case .name(let n, _): return lookup(n)
        case .list(let items):
            var out: [TemplateValue] = []
            for item in items { out.append(try evaluate(item)) }
            return .array(out)
        case .dict(let pairs):
            var o = TemplateObject()
            for (k, v) in pairs { o[try evaluate(k).text] = try evaluate(v) }
            return .object(o)
        case .attribute(let base, let name, let at):
            return try attribute(try evaluate(base), name, at: at)
        case .item(let base, let index, let at):
            return try item(try evaluate(base), try evaluate(index), at: at)
        case .slice(let base, let start, let stop, let step, let at):
            return try slice(try evaluate(base), start: try evaluateOptional(start), stop: try evaluateOptional(stop),
                             step: try evaluateOptional(step), at: at)
        case .call(let callee, let args, let kwargs, let at):
            let f = try evaluate(callee)
            guard case .callable(let c) = f else {
                throw TemplateError(f.isUndefined ? "`\(undefinedName(f))` is undefined" : "\(f.typeName) is not callable", at: at)
            }
            return try c.body(try evaluateAll(args), try evaluateAll(kwargs), at)
        case .filter(let base, let name, let args, let kwargs, let at):
            return try applyFilter(name, try evaluate(base), args: try evaluateAll(args), kwargs: try evaluateAll(kwargs), at: at)
        case .test(let base, let name, let args, let negated, let at):
            let result = try applyTest(name, try evaluate(base), args: try evaluateAll(args), at: at)
            return .bool(result != negated)
        case .unary(let op, let operand, let at):
            let v = try evaluate(operand)
            if op == "not" { return .bool(!v.isTruthy) }
            switch v {
            case .int(let i): return .int(0 &- i)
            case .double(let d): return .double(-d)
            default: throw TemplateError("bad operand for unary -: \(v.typeName)", at: at)
            }
        case .and(let l, let r):
            let a = try evaluate(l)
            return a.isTruthy ? try evaluate(r) : a
        case .or(let l, let r):
            let a = try evaluate(l)
            return a.isTruthy ? a : try evaluate(r)
        case .conditional(let then, let condition, let otherwise):
            if try evaluate(condition).isTruthy { return try evaluate(then) }
            return try evaluateOptional(otherwise) ?? .undefined("conditional")
        case .binary(let op, let l, let r, let at):
            return try binary(op, try evaluate(l), try evaluate(r), at: at)
        }
    }

    private func evaluateAll(_ exprs: [TemplateExpr]) throws(TemplateError) -> [TemplateValue] {
        var out: [TemplateValue] = []
        for e in exprs { out.append(try evaluate(e)) }
        return out
    }

    private func evaluateAll(_ exprs: [(String, TemplateExpr)]) throws(TemplateError) -> [(String, TemplateValue)] {
        var out: [(String, TemplateValue)] = []
        for (k, e) in exprs { out.append((k, try evaluate(e))) }
        return out
    }

    private func evaluateOptional(_ e: TemplateExpr?) throws(TemplateError) -> TemplateValue? {
        guard let e else { return nil }
        return try evaluate(e)
    }

    func undefinedName(_ v: TemplateValue) -> String {
        if case .undefined(let n) = v { return n }
        return ""
    }

    /// `x.name`: methods first, then keys (jinja2 `getattr`).
    func attribute(_ v: TemplateValue, _ name: String, at: Int) throws(TemplateError) -> TemplateValue {
        if case .undefined(let n) = v { throw TemplateError("`\(n)` is undefined (reading `.\(name)`)", at: at) }
        if let method = method(v, name) { return .callable(method) }
        switch v {
        case .object(let o): return o[name] ?? .undefined(name)
        case .namespace(let ns): return ns.object[name] ?? .undefined(name)
        case .loop(let l): return l.field(name) ?? .undefined("loop." + name)
        default: return .undefined(name)
        }
    }

    /// `x[key]`: keys and indexes first, then methods (jinja2 `getitem`).
    func item(_ v: TemplateValue, _ key: TemplateValue, at: Int) throws(TemplateError) -> TemplateValue {
        switch (v, key) {
        case (.undefined(let n), _): throw TemplateError("`\(n)` is undefined (reading `[\(key.repr)]`)", at: at)
        case (.array(let a), .int(let i)):
            let k = i < 0 ? a.count + i : i
            return a.indices.contains(k) ? a[k] : .undefined("[\(i)]")
        case (.string(let s), .int(let i)):
            let chars = Array(s)
            let k = i < 0 ? chars.count + i : i
            return chars.indices.contains(k) ? .string(String(chars[k])) : .undefined("[\(i)]")
        case (.object(let o), .string(let k)):
            return o[k] ?? .undefined(k)
        case (.namespace(let ns), .string(let k)):
            return ns.object[k] ?? .undefined(k)
        case (.loop(let l), .string(let k)):
            return l.field(k) ?? .undefined("loop." + k)
        case (_, .string(let k)):
            return method(v, k).map { .callable($0) } ?? .undefined(k)
        default:
            return .undefined("[\(key.repr)]")
        }
    }

    /// Python slicing of lists and strings, any signs and steps.
    func slice(_ v: TemplateValue, start: TemplateValue?, stop: TemplateValue?, step: TemplateValue?, at: Int) throws(TemplateError) -> TemplateValue {
        func int(_ x: TemplateValue?) throws(TemplateError) -> Int? {
            guard let x, !(x.isUndefined), !(x.equals(.none)) else { return nil }
            guard case .int(let i) = x else { throw TemplateError("slice indices must be integers", at: at) }
            return i
        }
        let items: [TemplateValue]
        switch v {
        case .array(let a): items = a
        case .string(let s): items = s.map { .string(String($0)) }
        case .undefined(let n): throw TemplateError("`\(n)` is undefined (slicing)", at: at)
        default: throw TemplateError("cannot slice \(v.typeName)", at: at)
        }
        let n = items.count
        let s = try int(step) ?? 1
        guard s != 0 else { throw TemplateError("slice step cannot be zero", at: at) }
        func clamp(_ i: Int?, _ fallback: Int) -> Int {
            guard let i else { return fallback }
            let k = i < 0 ? i + n : i
            return s > 0 ? min(max(k, 0), n) : min(max(k, -1), n - 1)
        }
        let lo = clamp(try int(start), s > 0 ? 0 : n - 1)
        let hi = clamp(try int(stop), s > 0 ? n : -1)
        var picked: [TemplateValue] = []
        var i = lo
        while s > 0 ? i < hi : i > hi {
            picked.append(items[i])
            let (next, overflow) = i.addingReportingOverflow(s)
            if overflow { break }
            i = next
        }
        if case .string = v { return .string(picked.map(\.text).joined()) }
        return .array(picked)
    }

    func binary(_ op: String, _ a: TemplateValue, _ b: TemplateValue, at: Int) throws(TemplateError) -> TemplateValue {
        switch op {
        case "~": return .string(try sized(a.text + b.text, at: at))
        case "==": return .bool(a.equals(b))
        case "!=": return .bool(!a.equals(b))
        case "in": return .bool(try contains(b, a, at: at))
        case "<", ">", "<=", ">=":
            let order: Int
            if let x = a.numeric, let y = b.numeric {
                order = x < y ? -1 : x > y ? 1 : 0
            } else if case .string(let x) = a, case .string(let y) = b {
                order = x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) ? -1 : x == y ? 0 : 1
            } else {
                throw TemplateError("cannot compare \(a.typeName) and \(b.typeName) with \(op)", at: at)
            }
            switch op {
            case "<": return .bool(order < 0)
            case ">": return .bool(order > 0)
            case "<=": return .bool(order <= 0)
            default: return .bool(order >= 0)
            }
        default: return try arithmetic(op, a, b, at: at)
        }
    }

    /// Strings built by `+`/`~` in loops could double each step; keep them within the output limit.
    private func sized(_ s: String, at: Int) throws(TemplateError) -> String {
        guard s.utf8.count <= Self.maxOutput else { throw TemplateError("string is over 64 MB", at: at) }
        return s
    }

    func contains(_ container: TemplateValue, _ item: TemplateValue, at: Int) throws(TemplateError) -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let sub) = item else { throw TemplateError("`in <string>` needs a string on the left", at: at) }
            return sub.isEmpty || s.contains(sub)
        case .array(let a): return a.contains { $0.equals(item) }
        case .object(let o): return o[item.text] != nil && { if case .string = item { true } else { false } }()
        case .namespace(let ns): return ns.object[item.text] != nil
        case .undefined(let n): throw TemplateError("`\(n)` is undefined (testing `in`)", at: at)
        default: throw TemplateError("\(container.typeName) does not support `in`", at: at)
        }
    }

    private func arithmetic(_ op: String, _ a: TemplateValue, _ b: TemplateValue, at: Int) throws(TemplateError) -> TemplateValue {
        switch (op, a, b) {
        case ("+", .string(let x), .string(let y)): return .string(try sized(x + y, at: at))
        case ("+", .array(let x), .array(let y)):
            guard x.count + y.count <= 1 << 20 else { throw TemplateError("list is too long", at: at) }
            return .array(x + y)
        case ("*", .string(let x), .int(let n)), ("*", .int(let n), .string(let x)):
            guard n <= 1 << 20, x.utf8.count <= Self.maxOutput, x.utf8.count * max(0, n) <= Self.maxOutput else {
                throw TemplateError("string repeat count \(n) is too large", at: at)
            }
            return .string(String(repeating: x, count: max(0, n)))
        case let (_, .int(x), .int(y)) where op != "/" && op != "**":
            let r: (Int, Bool)
            switch op {
            case "+": r = x.addingReportingOverflow(y)
            case "-": r = x.subtractingReportingOverflow(y)
            case "*": r = x.multipliedReportingOverflow(by: y)
            case "//", "%":
                guard y != 0 else { throw TemplateError("integer division or modulo by zero", at: at) }
                guard !(x == .min && y == -1) else { throw TemplateError("integer overflow", at: at) }
                let q = x / y, m = x % y
                let floorQ = (m != 0 && (m < 0) != (y < 0)) ? q - 1 : q
                return .int(op == "//" ? floorQ : x - floorQ * y)
            default: throw TemplateError("unknown operator \(op)", at: at)
            }
            guard !r.1 else { throw TemplateError("integer overflow in \(op)", at: at) }
            return .int(r.0)
        default:
            guard let x = a.numeric, let y = b.numeric else {
                throw TemplateError("unsupported operand types for \(op): \(a.typeName) and \(b.typeName)", at: at)
            }
            switch op {
            case "+": return .double(x + y)
            case "-": return .double(x - y)
            case "*": return .double(x * y)
            case "/":
                guard y != 0 else { throw TemplateError("division by zero", at: at) }
                return .double(x / y)
            case "//":
                guard y != 0 else { throw TemplateError("division by zero", at: at) }
                return .double((x / y).rounded(.down))
            case "%":
                guard y != 0 else { throw TemplateError("modulo by zero", at: at) }
                return .double(x - (x / y).rounded(.down) * y)
            case "**":
                if case .int(let base) = a, case .int(let e) = b, e >= 0 {
                    if base == 0 || base == 1 { return .int(e == 0 ? 1 : base) }
                    if base == -1 { return .int(e % 2 == 0 ? 1 : -1) }
                    var r = 1
                    for _ in 0..<e {
                        let (m, o) = r.multipliedReportingOverflow(by: base)
                        guard !o else { throw TemplateError("integer overflow in **", at: at) }
                        r = m
                    }
                    return .int(r)
                }
                return .double(pow(x, y))
            default: throw TemplateError("unknown operator \(op)", at: at)
            }
        }
    }
}
