import AlignSyntax
#if canImport(Glibc)
import Glibc
#endif

/// Arithmetic of the language on values. Integers are 64-bit; overflow and division by zero
/// are diagnostics, never traps. `//` and `%` floor like Python (`-7 // 2 == -4`, `-7 % 2 == 1`).
enum Operators {
    /// Largest string (in bytes) and list (in elements) `*` may build, so `"x" * 10**12`
    /// is a diagnostic rather than an out-of-memory kill.
    static let maxRepeatedLength = 50_000_000
    static let maxRepeatedCount = 5_000_000

    static func binary(_ op: BinaryOperator, _ l: Value, _ r: Value, at span: SourceSpan) throws -> Value {
        switch op {
        case .add: return try add(l, r, at: span)
        case .subtract: return try arithmetic(op, l, r, at: span)
        case .multiply: return try multiply(l, r, at: span)
        case .divide: return try divide(l, r, at: span)
        case .floorDivide, .modulo: return try floorDivision(op, l, r, at: span)
        case .power: return try power(l, r, at: span)
        case .equal: return .bool(l == r)
        case .notEqual: return .bool(l != r)
        case .less, .lessEqual, .greater, .greaterEqual: return .bool(try compare(op, l, r, at: span))
        case .in: return .bool(try contains(r, l, at: span))
        case .notIn: return .bool(try !contains(r, l, at: span))
        case .and: return l.isTruthy ? r : l
        case .or: return l.isTruthy ? l : r
        }
    }

    static func overflow(_ op: BinaryOperator, at span: SourceSpan) -> Diagnostic {
        .error("integer overflow in `\(op.rawValue)`", at: span, label: "result does not fit in 64 bits",
               help: "convert an operand to float with `num` or `* 1.0` if an approximate result is fine")
    }

    static func divisionByZero(at span: SourceSpan) -> Diagnostic {
        .error("division by zero", at: span, label: "the divisor is zero")
    }

    static func typeMismatch(_ op: BinaryOperator, _ l: Value, _ r: Value, at span: SourceSpan, help: String? = nil) -> Diagnostic {
        .error("cannot apply `\(op.rawValue)` to \(l.typeName) and \(r.typeName)", at: span, help: help)
    }

    static func add(_ l: Value, _ r: Value, at span: SourceSpan) throws -> Value {
        switch (l, r) {
        case let (.string(a), .string(b)): return .string(a + b)
        case let (.list(a), .list(b)): return .list(a + b)
        case let (.record(a), .record(b)):
            var merged = a
            for (k, v) in b.pairs { merged[k] = v }
            return .record(merged)
        case (.string, _), (_, .string):
            throw typeMismatch(.add, l, r, at: span, help: "use interpolation, as in \"{x}\", or `str(x)` to join text and other values")
        default: return try arithmetic(.add, l, r, at: span)
        }
    }

    /// `+ - *` on numbers.
    static func arithmetic(_ op: BinaryOperator, _ l: Value, _ r: Value, at span: SourceSpan) throws -> Value {
        switch (l, r) {
        case let (.int(a), .int(b)):
            let (v, o): (Int, Bool)
            switch op {
            case .add: (v, o) = a.addingReportingOverflow(b)
            case .subtract: (v, o) = a.subtractingReportingOverflow(b)
            default: (v, o) = a.multipliedReportingOverflow(by: b)
            }
            if o { throw overflow(op, at: span) }
            return .int(v)
        default:
            guard let a = l.asDouble, let b = r.asDouble else { throw typeMismatch(op, l, r, at: span) }
            switch op {
            case .add: return .float(a + b)
            case .subtract: return .float(a - b)
            default: return .float(a * b)
            }
        }
    }

    static func multiply(_ l: Value, _ r: Value, at span: SourceSpan) throws -> Value {
        switch (l, r) {
        case let (.string(s), .int(n)), let (.int(n), .string(s)):
            try checkRepeat(s.utf8.count, n, limit: maxRepeatedLength, at: span)
            return .string(n <= 0 ? "" : String(repeating: s, count: n))
        case let (.list(xs), .int(n)), let (.int(n), .list(xs)):
            try checkRepeat(xs.count, n, limit: maxRepeatedCount, at: span)
            var out: [Value] = []
            if n > 0 { out.reserveCapacity(xs.count * n); for _ in 0..<n { out += xs } }
            return .list(out)
        default: return try arithmetic(.multiply, l, r, at: span)
        }
    }

    private static func checkRepeat(_ length: Int, _ n: Int, limit: Int, at span: SourceSpan) throws {
        let (total, o) = length.multipliedReportingOverflow(by: max(n, 0))
        if o || total > limit {
            throw Diagnostic.error("result too large", at: span, label: "would hold more than \(limit) elements")
        }
    }

    static func divide(_ l: Value, _ r: Value, at span: SourceSpan) throws -> Value {
        guard let a = l.asDouble, let b = r.asDouble else { throw typeMismatch(.divide, l, r, at: span) }
        if b == 0 { throw divisionByZero(at: span) }
        return .float(a / b)
    }

    static func floorDivision(_ op: BinaryOperator, _ l: Value, _ r: Value, at span: SourceSpan) throws -> Value {
        if case .int(let a) = l, case .int(let b) = r {
            if b == 0 { throw divisionByZero(at: span) }
            if op == .modulo {
                let (m, o) = a.remainderReportingOverflow(dividingBy: b)
                let rem = o ? 0 : m
                return .int(rem != 0 && (rem < 0) != (b < 0) ? rem + b : rem)
            }
            let (q, o) = a.dividedReportingOverflow(by: b)
            if o { throw overflow(op, at: span) }
            return .int(a % b != 0 && (a < 0) != (b < 0) ? q - 1 : q)
        }
        guard let a = l.asDouble, let b = r.asDouble else { throw typeMismatch(op, l, r, at: span) }
        if b == 0 { throw divisionByZero(at: span) }
        let (div, mod) = floatDivMod(a, b)
        return .float(op == .modulo ? mod : div)
    }

    /// Matches: CPython 3.11 `float_divmod` (Objects/floatobject.c).
    static func floatDivMod(_ x: Double, _ y: Double) -> (Double, Double) {
        var mod = x.truncatingRemainder(dividingBy: y)
        var div = (x - mod) / y
        if mod != 0 {
            if (y < 0) != (mod < 0) { mod += y; div -= 1 }
        } else {
            mod = Double(signOf: y, magnitudeOf: 0)
        }
        var floorDiv: Double
        if div != 0 {
            floorDiv = div.rounded(.down)
            if div - floorDiv > 0.5 { floorDiv += 1 }
        } else {
            floorDiv = Double(signOf: x / y, magnitudeOf: 0)
        }
        return (floorDiv, mod)
    }

    static func power(_ l: Value, _ r: Value, at span: SourceSpan) throws -> Value {
        if case .int(let base) = l, case .int(let exponent) = r {
            if exponent >= 0 {
                var result = 1, b = base, e = exponent
                while e > 0 {
                    if e & 1 == 1 {
                        let (v, o) = result.multipliedReportingOverflow(by: b)
                        if o { throw overflow(.power, at: span) }
                        result = v
                    }
                    e >>= 1
                    if e > 0 {
                        let (v, o) = b.multipliedReportingOverflow(by: b)
                        if o { throw overflow(.power, at: span) }
                        b = v
                    }
                }
                return .int(result)
            }
            if base == 0 { throw divisionByZero(at: span) }
        }
        guard let a = l.asDouble, let b = r.asDouble else { throw typeMismatch(.power, l, r, at: span) }
        if a == 0 && b < 0 { throw divisionByZero(at: span) }
        let v = pow(a, b)
        if v.isNaN && !a.isNaN && !b.isNaN {
            throw Diagnostic.error("`**` of a negative number to a fractional power has no real result", at: span)
        }
        return .float(v)
    }

    static func negate(_ v: Value, at span: SourceSpan) throws -> Value {
        switch v {
        case .int(let i):
            if i == Int.min { throw overflow(.subtract, at: span) }
            return .int(-i)
        case .float(let d): return .float(-d)
        default: throw Diagnostic.error("cannot negate a value of type \(v.typeName)", at: span)
        }
    }
}

extension Value {
    /// The number as a double, for mixed int/float arithmetic (bools are not numbers).
    var asDouble: Double? {
        switch self {
        case .int(let i): Double(i)
        case .float(let d): d
        default: nil
        }
    }
}
