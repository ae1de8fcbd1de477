import AlignSyntax

/// Ordering and membership. Numbers compare by value (int and float mix), strings by Unicode
/// scalar values (as Python does), lists lexicographically; anything else is a type error.
extension Operators {
    static func compare(_ op: BinaryOperator, _ l: Value, _ r: Value, at span: SourceSpan) throws -> Bool {
        let order = try ordering(l, r, op: op, at: span)
        switch op {
        case .less: return order < 0
        case .lessEqual: return order <= 0
        case .greater: return order > 0
        default: return order >= 0
        }
    }

    /// -1, 0 or 1.
    static func ordering(_ l: Value, _ r: Value, op: BinaryOperator, at span: SourceSpan) throws -> Int {
        switch (l, r) {
        case let (.int(a), .int(b)): return a < b ? -1 : (a == b ? 0 : 1)
        case let (.string(a), .string(b)):
            if a == b { return 0 }
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : 1
        case let (.list(a), .list(b)):
            for (x, y) in zip(a, b) where x != y {
                return try ordering(x, y, op: op, at: span)
            }
            return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
        default:
            guard let a = l.asDouble, let b = r.asDouble else {
                throw Diagnostic.error("cannot compare \(l.typeName) and \(r.typeName) with `\(op.rawValue)`", at: span)
            }
            if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : (a.isNaN ? 1 : -1) }
            return a < b ? -1 : (a == b ? 0 : 1)
        }
    }

    /// `element in container`.
    static func contains(_ container: Value, _ element: Value, at span: SourceSpan) throws -> Bool {
        switch container {
        case .list(let xs): return xs.contains(element)
        case .string(let s):
            guard case .string(let needle) = element else {
                throw Diagnostic.error("`in` on a string needs a string on the left, found \(element.typeName)", at: span)
            }
            return needle.isEmpty || s.contains(needle)
        case .record(let r):
            guard case .string(let key) = element else {
                throw Diagnostic.error("`in` on a record needs a field name (string) on the left, found \(element.typeName)", at: span)
            }
            return r[key] != nil
        case .table(let t):
            guard case .string(let name) = element else {
                throw Diagnostic.error("`in` on a table needs a column name (string) on the left, found \(element.typeName)", at: span)
            }
            return t.columnNames.contains(name)
        default:
            throw Diagnostic.error("`in` needs a list, string, record or table on the right, found \(container.typeName)", at: span)
        }
    }
}
