import AlignSyntax

/// Typed access to built-in arguments, with the project's wording for wrong types:
/// ``expected a list for `xs`, found string``.
extension BuiltinCall {
    /// The diagnostic for argument `i` (named `name`) having the wrong type.
    func typeError(_ i: Int, _ name: String, expected: String, found value: Value) -> Diagnostic {
        error(argument: i, "expected \(expected) for `\(name)`, found \(value.typeName)")
    }

    func string(_ i: Int, _ name: String) throws -> String {
        let v = try argument(i)
        guard case .string(let s) = v else { throw typeError(i, name, expected: "a string", found: v) }
        return s
    }

    func optionalString(_ i: Int, _ name: String) throws -> String? {
        guard i < arguments.count, let v = arguments[i], v != .null else { return nil }
        return try string(i, name)
    }

    func int(_ i: Int, _ name: String) throws -> Int {
        let v = try argument(i)
        switch v {
        case .int(let n): return n
        case .float(let d) where d.rounded() == d && abs(d) < 9.0e15: return Int(d)
        default: throw typeError(i, name, expected: "an integer", found: v)
        }
    }

    func optionalInt(_ i: Int, _ name: String) throws -> Int? {
        guard i < arguments.count, let v = arguments[i], v != .null else { return nil }
        return try int(i, name)
    }

    /// A non-negative integer count such as `take`'s `n`.
    func count(_ i: Int, _ name: String) throws -> Int {
        let n = try int(i, name)
        guard n >= 0 else {
            throw error(argument: i, "expected a non-negative count for `\(name)`, found \(n)")
        }
        return n
    }

    func number(_ i: Int, _ name: String) throws -> Double {
        let v = try argument(i)
        guard let d = v.number else { throw typeError(i, name, expected: "a number", found: v) }
        return d
    }

    func bool(_ i: Int, _ name: String, default fallback: Bool) throws -> Bool {
        guard i < arguments.count, let v = arguments[i], v != .null else { return fallback }
        guard case .bool(let b) = v else { throw typeError(i, name, expected: "true or false", found: v) }
        return b
    }

    func list(_ i: Int, _ name: String) throws -> [Value] {
        let v = try argument(i)
        guard case .list(let items) = v else { throw typeError(i, name, expected: "a list", found: v) }
        return items
    }

    func record(_ i: Int, _ name: String) throws -> Record {
        let v = try argument(i)
        guard case .record(let r) = v else { throw typeError(i, name, expected: "a record", found: v) }
        return r
    }

    func table(_ i: Int, _ name: String) throws -> Table {
        let v = try argument(i)
        guard case .table(let t) = v else { throw typeError(i, name, expected: "a table", found: v) }
        return t
    }

    func function(_ i: Int, _ name: String) throws -> Value {
        let v = try argument(i)
        guard case .function = v else { throw typeError(i, name, expected: "a function", found: v) }
        return v
    }

    func optionalFunction(_ i: Int, _ name: String) throws -> Value? {
        guard i < arguments.count, let v = arguments[i], v != .null else { return nil }
        return try function(i, name)
    }

    /// A list, or a table seen as its rows.
    func rows(_ i: Int, _ name: String) throws -> RowSequence {
        let v = try argument(i)
        switch v {
        case .list(let items): return .list(items)
        case .table(let t): return .table(t)
        default: throw typeError(i, name, expected: "a list or table", found: v)
        }
    }

    /// Calls a language function; its errors propagate as they are.
    func apply(_ function: Value, _ arguments: [Value]) throws -> Value {
        try services.call(function, arguments, at: span)
    }

    /// Runs `body`, turning a comparison of unorderable values into a diagnostic at argument `i`.
    func ordering<T>(_ i: Int, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ValueComparisonError {
            throw error(argument: i, e.message, help: "every element must be a number, a string, a bool or a list of those, all of one kind")
        }
    }
}

/// The elements a collection built-in works on: a list, or a table as its row records.
enum RowSequence {
    case list([Value])
    case table(Table)

    var elements: [Value] {
        switch self {
        case .list(let items): items
        case .table(let t): t.rows.map(Value.record)
        }
    }

    var count: Int {
        switch self {
        case .list(let items): items.count
        case .table(let t): t.rowCount
        }
    }

    /// The same kind of collection holding the chosen elements (`filter`, `take`, `sort`).
    func selecting(_ indices: [Int]) -> Value {
        switch self {
        case .list(let items): return .list(indices.map { items[$0] })
        case .table(let t):
            return .table(Table(columnNames: t.columnNames, columns: t.columns.map { c in indices.map { c[$0] } }))
        }
    }
}
