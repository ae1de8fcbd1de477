/// Type names, truthiness, structural equality and the ordering of values.
extension Value {
    /// The name used in diagnostics: `expected a list, found string`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "string"
        case .list: "list"
        case .record: "record"
        case .table: "table"
        case .function: "function"
        case .objective: "objective"
        case .module: "module"
        case .handle(let h): h.typeName
        }
    }

    /// `null`, `false`, `0`, `0.0`, `""` and empty lists/records/tables are false.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .float(let d): d != 0
        case .string(let s): !s.isEmpty
        case .list(let l): !l.isEmpty
        case .record(let r): r.count > 0
        case .table(let t): t.rowCount > 0 || !t.columnNames.isEmpty
        default: true
        }
    }

    /// The numeric value of an `int` or `float` (bools are not numbers here).
    public var number: Double? {
        switch self {
        case .int(let i): Double(i)
        case .float(let d): d
        default: nil
        }
    }
}

extension Value: Equatable {
    /// Structural equality; `1 == 1.0` is true; functions, modules and handles compare by identity.
    public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.int(x), .int(y)): x == y
        case let (.float(x), .float(y)): x == y
        case let (.int(x), .float(y)): Double(x) == y
        case let (.float(x), .int(y)): x == Double(y)
        case let (.string(x), .string(y)): x == y
        case let (.list(x), .list(y)): x == y
        case let (.record(x), .record(y)): x.keys == y.keys && x.values == y.values
        case let (.table(x), .table(y)): x.columnNames == y.columnNames && x.columns == y.columns
        case let (.function(x), .function(y)): x === y
        case let (.objective(x), .objective(y)): x == y
        case let (.module(x), .module(y)): x === y
        case let (.handle(x), .handle(y)): x === y
        default: false
        }
    }
}

/// Raised by `Value.compare` for values that have no order between them (`1 < "a"`).
public struct ValueComparisonError: Error, Sendable {
    public let leftType: String
    public let rightType: String
    public var message: String { "cannot compare \(leftType) with \(rightType)" }
}

extension Value {
    /// The result of comparing two values.
    public enum Order: Sendable, Equatable {
        case less, equal, greater
    }

    /// A total order for sorting, `min` and `max`: numbers by value (`int` and `float` mix, `nan`
    /// after every other number and equal to itself), strings by Unicode code points as Python
    /// does, bools `false < true`, lists lexicographically, `null` equal to `null`. Any other pair
    /// of types throws, so `sort([1, "a"])` is an error rather than an arbitrary order.
    public static func compare(_ a: Value, _ b: Value) throws -> Order {
        switch (a, b) {
        case let (.int(x), .int(y)): return x < y ? .less : (x == y ? .equal : .greater)
        case (.int, .float), (.float, .int), (.float, .float):
            return compareNumbers(a.number ?? 0, b.number ?? 0)
        case let (.string(x), .string(y)): return compareStrings(x, y)
        case let (.bool(x), .bool(y)): return x == y ? .equal : (x ? .greater : .less)
        case (.null, .null): return .equal
        case let (.list(x), .list(y)):
            for (l, r) in zip(x, y) {
                let order = try compare(l, r)
                if order != .equal { return order }
            }
            return x.count < y.count ? .less : (x.count == y.count ? .equal : .greater)
        default:
            throw ValueComparisonError(leftType: a.typeName, rightType: b.typeName)
        }
    }

    private static func compareNumbers(_ x: Double, _ y: Double) -> Order {
        switch (x.isNaN, y.isNaN) {
        case (true, true): return .equal
        case (true, false): return .greater
        case (false, true): return .less
        case (false, false): return x < y ? .less : (x == y ? .equal : .greater)
        }
    }

    private static func compareStrings(_ x: String, _ y: String) -> Order {
        var l = x.unicodeScalars.makeIterator(), r = y.unicodeScalars.makeIterator()
        while true {
            switch (l.next(), r.next()) {
            case (nil, nil): return .equal
            case (nil, _): return .less
            case (_, nil): return .greater
            case let (p?, q?):
                if p.value != q.value { return p.value < q.value ? .less : .greater }
            }
        }
    }
}
