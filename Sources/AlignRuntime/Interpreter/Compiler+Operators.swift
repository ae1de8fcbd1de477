import AlignSyntax

/// Binary operators, with inline paths for the int cases loops and recursion spend their time in.
extension Compiler {
    func compileBinary(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, at span: SourceSpan) -> Eval {
        let l = compile(lhs), r = compile(rhs)
        switch op {
        case .and:
            return { a in
                let v = try l(a)
                return v.isTruthy ? try r(a) : v
            }
        case .or:
            return { a in
                let v = try l(a)
                return v.isTruthy ? v : try r(a)
            }
        case .add:
            if case .int(let k) = rhs.kind {
                return { a in
                    let v = try l(a)
                    if case .int(let x) = v {
                        let (s, o) = x.addingReportingOverflow(k)
                        if !o { return .int(s) }
                    }
                    return try Operators.add(v, .int(k), at: span)
                }
            }
            return { a in
                let x = try l(a), y = try r(a)
                if case .int(let i) = x, case .int(let j) = y {
                    let (s, o) = i.addingReportingOverflow(j)
                    if !o { return .int(s) }
                }
                return try Operators.add(x, y, at: span)
            }
        case .subtract:
            if case .int(let k) = rhs.kind {
                return { a in
                    let v = try l(a)
                    if case .int(let x) = v {
                        let (s, o) = x.subtractingReportingOverflow(k)
                        if !o { return .int(s) }
                    }
                    return try Operators.arithmetic(.subtract, v, .int(k), at: span)
                }
            }
            return { a in
                let x = try l(a), y = try r(a)
                if case .int(let i) = x, case .int(let j) = y {
                    let (s, o) = i.subtractingReportingOverflow(j)
                    if !o { return .int(s) }
                }
                return try Operators.arithmetic(.subtract, x, y, at: span)
            }
        case .less, .lessEqual, .greater, .greaterEqual:
            return compileComparison(op, l, r, constant: { if case .int(let k) = rhs.kind { k } else { nil } }(), at: span)
        case .equal:
            return { a in
                let x = try l(a), y = try r(a)
                if case .int(let i) = x, case .int(let j) = y { return .bool(i == j) }
                return .bool(x == y)
            }
        case .notEqual:
            return { a in
                let x = try l(a), y = try r(a)
                if case .int(let i) = x, case .int(let j) = y { return .bool(i != j) }
                return .bool(x != y)
            }
        default:
            return { a in
                let x = try l(a), y = try r(a)
                return try Operators.binary(op, x, y, at: span)
            }
        }
    }

    private func compileComparison(_ op: BinaryOperator, _ l: @escaping Eval, _ r: @escaping Eval,
                                   constant: Int?, at span: SourceSpan) -> Eval {
        func test(_ i: Int, _ j: Int) -> Bool {
            switch op {
            case .less: i < j
            case .lessEqual: i <= j
            case .greater: i > j
            default: i >= j
            }
        }
        if let k = constant {
            switch op {
            case .less:
                return { a in
                    let v = try l(a)
                    if case .int(let i) = v { return .bool(i < k) }
                    return .bool(try Operators.compare(op, v, .int(k), at: span))
                }
            default:
                return { a in
                    let v = try l(a)
                    if case .int(let i) = v { return .bool(test(i, k)) }
                    return .bool(try Operators.compare(op, v, .int(k), at: span))
                }
            }
        }
        return { a in
            let x = try l(a), y = try r(a)
            if case .int(let i) = x, case .int(let j) = y { return .bool(test(i, j)) }
            return .bool(try Operators.compare(op, x, y, at: span))
        }
    }
}
