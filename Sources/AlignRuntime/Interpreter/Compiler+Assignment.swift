import AlignSyntax

/// `x = e`, `x += e`, `r.f = e`, `xs[i] = e`. Assignment writes through a chain of in-place
/// modifications rooted at a `var`, so `xs += [i]` and `r.items[0] = v` copy nothing when the
/// variable holds the only reference (value semantics stay: other variables keep their copy).
extension Compiler {
    typealias Location = (Activation, (inout Value) throws -> Void) throws -> Void

    func compileAssignment(_ target: Expr, _ op: AssignOperator, _ value: Expr, at span: SourceSpan) -> Exec {
        let v = compile(value)
        let compound = op != .assign
        guard let location = compileLocation(target, compound: compound) else { return { _ in .normal } }
        switch op {
        case .assign:
            return { a in
                let x = try v(a)
                try location(a) { $0 = x }
                return .normal
            }
        case .add:
            return { a in
                let x = try v(a)
                try location(a) { try Mutation.add(&$0, x, at: span) }
                return .normal
            }
        case .subtract, .multiply, .divide:
            let binary: BinaryOperator = op == .subtract ? .subtract : (op == .multiply ? .multiply : .divide)
            return { a in
                let x = try v(a)
                try location(a) { $0 = try Operators.binary(binary, $0, x, at: span) }
                return .normal
            }
        }
    }

    func compileLocation(_ e: Expr, compound: Bool) -> Location? {
        switch e.kind {
        case .name(let n):
            guard let address = compileVariableAddress(n, at: e.span) else { return nil }
            return { a, body in
                let p = try address(a)
                try body(&p.pointee)
            }
        case .member(let base, let id):
            guard let outer = compileLocation(base, compound: compound) else { return nil }
            let key = Value.string(id.name), span = id.span
            return { a, body in
                try outer(a) { v in try Mutation.modifyPart(&v, key, compound: compound, at: span, body) }
            }
        case .index(let base, let index):
            guard let outer = compileLocation(base, compound: compound) else { return nil }
            let i = compile(index), span = index.span
            return { a, body in
                let key = try i(a)
                try outer(a) { v in try Mutation.modifyPart(&v, key, compound: compound, at: span, body) }
            }
        default:
            error("cannot assign to this expression", at: e.span,
                  help: "assign to a `var`, a field (`r.f = …`) or an element (`xs[i] = …`)")
            return nil
        }
    }
}

/// In-place changes to parts of values.
enum Mutation {
    /// `v += x`, appending in place to a uniquely held list or string.
    static func add(_ v: inout Value, _ x: Value, at span: SourceSpan) throws {
        if case .list(var xs) = v, case .list(let ys) = x {
            v = .null
            xs.append(contentsOf: ys)
            v = .list(xs)
            return
        }
        if case .string(var s) = v, case .string(let t) = x {
            v = .null
            s += t
            v = .string(s)
            return
        }
        v = try Operators.add(v, x, at: span)
    }

    /// Applies `body` to element or field `key` of `v`, moving it out first so it is unique.
    static func modifyPart(_ v: inout Value, _ key: Value, compound: Bool, at span: SourceSpan,
                           _ body: (inout Value) throws -> Void) throws {
        switch v {
        case .list(var xs):
            guard case .int(let i) = key else { throw badKey(v, key, at: span) }
            let p = try Indexing.position(i, count: xs.count, of: "list", at: span)
            v = .null
            defer { v = .list(xs) }
            try body(&xs[p])
        case .record(var r):
            guard case .string(let k) = key else { throw badKey(v, key, at: span) }
            var field: Value
            if let existing = r[k] {
                field = existing
            } else if compound {
                throw Indexing.noField(k, in: r.keys, at: span)
            } else {
                field = .null
            }
            v = .null
            r[k] = .null
            defer { r[k] = field; v = .record(r) }
            try body(&field)
        case .table(var t):
            guard case .string(let k) = key else {
                if case .int = key {
                    throw Diagnostic.error("table rows cannot be assigned", at: span, help: "assign a whole column with `t.name = [...]`")
                }
                throw badKey(v, key, at: span)
            }
            var column: Value
            if let c = t.column(k) {
                column = .list(c)
            } else if compound {
                throw Indexing.noColumn(k, in: t.columnNames, at: span)
            } else {
                column = .null
            }
            try body(&column)
            guard case .list(let values) = column else {
                throw Diagnostic.error("a table column must be a list, found \(column.typeName)", at: span)
            }
            if !t.columnNames.isEmpty && values.count != t.rowCount {
                throw Diagnostic.error("column `\(k)` has \(values.count) values but the table has \(t.rowCount) rows", at: span)
            }
            v = .null
            t.setColumn(k, values)
            v = .table(t)
        case .string:
            throw Diagnostic.error("strings cannot be changed in place", at: span, help: "build a new string, e.g. with slicing and `+`")
        default:
            throw Diagnostic.error("cannot assign into a value of type \(v.typeName)", at: span)
        }
    }

    private static func badKey(_ v: Value, _ key: Value, at span: SourceSpan) -> Diagnostic {
        if case .record = v {
            return .error("record field name must be a string, found \(key.typeName)", at: span)
        }
        return .error("\(v.typeName) index must be an int, found \(key.typeName)", at: span)
    }
}
