#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Arithmetic over lists and single numbers. Integer results that overflow 64 bits are errors,
/// never traps; math-domain errors (`sqrt(-1)`, `log(0)`) are errors as in Python's `math`.
extension Builtins {
    static var numbers: [Builtin] {
        [
            Builtin("sum", [.init("xs")],
                    doc: "Sum of a list of numbers: an int if all are ints, else a float; 0 for an empty list. `sum([1, 2, 3]) == 6`") { call in
                try sum(try numbers(call, 0, "xs"), call)
            },
            Builtin("mean", [.init("xs")],
                    doc: "Arithmetic mean of a non-empty list of numbers, as a float. `mean([1, 2]) == 1.5`") { call in
                let xs = try numbers(call, 0, "xs")
                guard !xs.isEmpty else { throw call.error(argument: 0, "cannot take the mean of an empty list") }
                return .float(xs.reduce(0.0) { $0 + ($1.number ?? 0) } / Double(xs.count))
            },
            extremum("min", wanted: .less),
            extremum("max", wanted: .greater),
            Builtin("abs", [.init("x")], doc: "Absolute value, keeping int or float. `abs(-3) == 3`") { call in
                switch try call.argument(0) {
                case .int(let i):
                    guard i != Int.min else { throw call.error(argument: 0, "integer overflow in `abs`") }
                    return .int(abs(i))
                case .float(let d): return .float(abs(d))
                case let v: throw call.typeError(0, "x", expected: "a number", found: v)
                }
            },
            Builtin("round", [.init("x"), .init("digits", optional: true)],
                    doc: "Rounds half to even like Python: without `digits` an int, with `digits` a float with that many decimals (negative rounds to tens, hundreds…). `round(2.675, 2) == 2.67`") { call in
                try round(call)
            },
            integerRounding("floor", .down, "The largest integer not above `x`, as an int. `floor(-2.5) == -3`"),
            integerRounding("ceil", .up, "The smallest integer not below `x`, as an int. `ceil(2.1) == 3`"),
            mathFunction("sqrt", "Square root; an error for negative numbers. `sqrt(16) == 4.0`", domain: { $0 >= 0 }, Glibc.sqrt),
            mathFunction("exp", "e raised to `x`; an error when the result overflows. `exp(0) == 1.0`", domain: { _ in true }, Glibc.exp),
            Builtin("log", [.init("x"), .init("base", optional: true)],
                    doc: "Natural logarithm, or logarithm to `base`; an error for `x <= 0`. `log(100, 10) == 2.0`") { call in
                let x = try call.number(0, "x")
                guard x > 0 else { throw call.error(argument: 0, "math domain error: `log` needs a positive number, found \(Value.formatFloat(x))") }
                guard call.arguments.count > 1, call.arguments[1] != nil else { return .float(Glibc.log(x)) }
                let base = try call.number(1, "base")
                guard base > 0 && base != 1 else { throw call.error(argument: 1, "math domain error: `base` must be positive and not 1") }
                return .float(Glibc.log(x) / Glibc.log(base))
            },
        ]
    }

    private static func mathFunction(_ name: String, _ doc: String, domain: @escaping (Double) -> Bool,
                                     _ f: @escaping (Double) -> Double) -> Builtin {
        Builtin(name, [.init("x")], doc: doc) { call in
            let x = try call.number(0, "x")
            guard x.isNaN || domain(x) else {
                throw call.error(argument: 0, "math domain error: `\(name)` of \(Value.formatFloat(x))")
            }
            let y = f(x)
            guard !y.isInfinite || x.isInfinite else { throw call.error(argument: 0, "`\(name)` overflows a float") }
            return .float(y)
        }
    }

    private static func integerRounding(_ name: String, _ rule: FloatingPointRoundingRule, _ doc: String) -> Builtin {
        Builtin(name, [.init("x")], doc: doc) { call in
            let x = try call.argument(0)
            if case .int = x { return x }
            let r = try call.number(0, "x").rounded(rule)
            guard r.isFinite, r >= -9.2e18, r <= 9.2e18 else {
                throw call.error(argument: 0, "cannot convert \(x.reprString) to a 64-bit integer")
            }
            return .int(Int(r))
        }
    }

    /// The elements of a list that must all be numbers, else an error naming the first offender.
    static func numbers(_ call: BuiltinCall, _ i: Int, _ name: String) throws -> [Value] {
        let xs = try call.list(i, name)
        if let k = xs.firstIndex(where: { $0.number == nil }) {
            throw call.error(argument: i, "expected a list of numbers for `\(name)`, found \(xs[k].typeName) at index \(k)")
        }
        return xs
    }

    static func sum(_ xs: [Value], _ call: BuiltinCall) throws -> Value {
        var total = 0
        var index = 0
        while index < xs.count, case .int(let i) = xs[index] {
            let (t, overflow) = total.addingReportingOverflow(i)
            guard !overflow else { throw call.error(argument: 0, "integer overflow in `sum`") }
            total = t
            index += 1
        }
        guard index < xs.count else { return .int(total) }
        return .float(xs[index...].reduce(Double(total)) { $0 + ($1.number ?? 0) })
    }

    private static func extremum(_ name: String, wanted: Value.Order) -> Builtin {
        Builtin(name, [.init("xs")], variadic: true,
                doc: "The \(name == "min" ? "smallest" : "largest") element of a list, or of its arguments: `\(name)(xs)` or `\(name)(a, b, …)`; the first one wins ties. `\(name)([3, 1, 2]) == \(name == "min" ? 1 : 3)`") { call in
            var values = call.rest
            let first = try call.argument(0)
            if values.isEmpty {
                guard case .list(let l) = first else { throw call.typeError(0, "xs", expected: "a list (or two or more values)", found: first) }
                values = l
            } else {
                values.insert(first, at: 0)
            }
            guard var best = values.first else { throw call.error(argument: 0, "`\(name)` of an empty list") }
            try call.ordering(0) {
                for v in values.dropFirst() where try Value.compare(v, best) == wanted { best = v }
            }
            return best
        }
    }

    private static func round(_ call: BuiltinCall) throws -> Value {
        let x = try call.argument(0)
        guard x.number != nil else { throw call.typeError(0, "x", expected: "a number", found: x) }
        guard let digits = try call.optionalInt(1, "digits") else {
            if case .int = x { return x }
            let r = (x.number ?? 0).rounded(.toNearestOrEven)
            guard r.isFinite, r >= -9.2e18, r <= 9.2e18 else {
                throw call.error(argument: 0, "cannot round \(x.reprString) to a 64-bit integer")
            }
            return .int(Int(r))
        }
        switch x {
        case .int(let i):
            guard digits < 0 else { return x }
            guard digits > -19 else { return .int(0) }
            var p = 1
            for _ in 0..<(-digits) { p *= 10 }
            let (q, r) = i.quotientAndRemainder(dividingBy: p)
            let twice = abs(r) * 2
            var rounded = q
            if twice > p || (twice == p && q % 2 != 0) { rounded += i < 0 ? -1 : 1 }
            let (result, overflow) = rounded.multipliedReportingOverflow(by: p)
            guard !overflow else { throw call.error(argument: 0, "integer overflow in `round`") }
            return .int(result)
        default:
            let d = x.number ?? 0
            guard d.isFinite else { return x }
            if digits >= 0 {
                return .float(Double(DecimalText.fixed(d, digits: digits)) ?? d)
            }
            guard digits > -309 else { return .float(d < 0 ? -0.0 : 0.0) }
            let scale = Glibc.pow(10.0, Double(-digits))
            return .float((d / scale).rounded(.toNearestOrEven) * scale)
        }
    }
}
