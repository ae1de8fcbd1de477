/// Operator expressions. Precedence, low to high (LANGUAGE.md): lambda, `|>`, `or`, `and`,
/// `not`, comparisons (non-associative), `+ -`, `* / // %`, unary `-`, `**` (right-associative,
/// so `-2**2 == -4`), postfix call / index / member.
extension Parser {
    /// Binding strength of the binary levels; 3 is prefix `not`, handled by `parsePrefix`.
    enum Precedence {
        static let or = 1, and = 2, comparison = 4, additive = 5, multiplicative = 6
    }

    mutating func parseExpression() throws(ParseFailure) -> Expr {
        try enterNesting()
        defer { depth -= 1 }
        if isLambdaStart { return try parseLambda() }
        return try parsePipeline()
    }

    /// An expression inside brackets or an interpolation, where `{` is a record again.
    mutating func parseNestedExpression() throws(ParseFailure) -> Expr {
        let saved = recordsAllowed
        recordsAllowed = true
        defer { recordsAllowed = saved }
        return try parseExpression()
    }

    /// The expression of an `if`/`while`/`for`/`run` header, which a `{` ends.
    mutating func parseHeaderExpression() throws(ParseFailure) -> Expr {
        let saved = recordsAllowed
        recordsAllowed = false
        defer { recordsAllowed = saved }
        return try parseExpression()
    }

    /// `x =>` or `( … ) =>`.
    var isLambdaStart: Bool {
        switch kind {
        case .identifier:
            return peekKind(1) == .symbol(.arrow)
        case .symbol(.leftParen):
            let close = matchingParen[index]
            return close >= 0 && tokens[min(close + 1, tokens.count - 1)].kind == .symbol(.arrow)
        default:
            return false
        }
    }

    @inline(never)
    mutating func parseLambda() throws(ParseFailure) -> Expr {
        let start = current.start
        let parameters: [Parameter]
        if case .identifier(let name) = kind {
            parameters = [Parameter(name: Identifier(name, span(of: advance())), defaultValue: nil)]
        } else {
            parameters = try parseParameters()
        }
        guard accept(.arrow) else { throw fail("expected `=>` after the lambda parameters") }
        let body = try parseExpression()
        return Expr(.lambda(parameters: parameters, body: body), span(from: start))
    }

    /// `a |> f(b)` becomes `f(a, b)` and `a |> f` becomes `f(a)`.
    mutating func parsePipeline() throws(ParseFailure) -> Expr {
        var left = try parseBinary(minPrecedence: Precedence.or)
        var chained = 0
        defer { depth -= chained }
        while accept(.pipe) {
            try enterNesting()
            chained += 1
            let stage = try parseBinary(minPrecedence: Precedence.or)
            let span = left.span.to(stage.span)
            if case .call(let callee, let arguments) = stage.kind {
                left = Expr(.call(callee: callee, arguments: [Argument(label: nil, value: left)] + arguments), span)
            } else {
                left = Expr(.call(callee: stage, arguments: [Argument(label: nil, value: left)]), span)
            }
        }
        return left
    }

    /// The binary operator at the current token: operator, precedence, tokens it spans.
    var binaryOperator: (BinaryOperator, Int, Int)? {
        switch kind {
        case .keyword(.or): return (.or, Precedence.or, 1)
        case .keyword(.and): return (.and, Precedence.and, 1)
        case .keyword(.in): return (.in, Precedence.comparison, 1)
        case .keyword(.not): return peekKind(1) == .keyword(.in) ? (.notIn, Precedence.comparison, 2) : nil
        case .symbol(let symbol):
            switch symbol {
            case .equalEqual: return (.equal, Precedence.comparison, 1)
            case .bangEqual: return (.notEqual, Precedence.comparison, 1)
            case .less: return (.less, Precedence.comparison, 1)
            case .lessEqual: return (.lessEqual, Precedence.comparison, 1)
            case .greater: return (.greater, Precedence.comparison, 1)
            case .greaterEqual: return (.greaterEqual, Precedence.comparison, 1)
            case .plus: return (.add, Precedence.additive, 1)
            case .minus: return (.subtract, Precedence.additive, 1)
            case .star: return (.multiply, Precedence.multiplicative, 1)
            case .slash: return (.divide, Precedence.multiplicative, 1)
            case .slashSlash: return (.floorDivide, Precedence.multiplicative, 1)
            case .percent: return (.modulo, Precedence.multiplicative, 1)
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Precedence climbing over the binary levels `or` … `* / // %`.
    mutating func parseBinary(minPrecedence: Int) throws(ParseFailure) -> Expr {
        var left = try parsePrefix(minPrecedence: minPrecedence)
        var chained = 0
        defer { depth -= chained }
        while let (op, precedence, width) = binaryOperator, precedence >= minPrecedence {
            for _ in 0..<width { advance() }
            try enterNesting()
            chained += 1
            let right = try parseBinary(minPrecedence: precedence + 1)
            left = Expr(.binary(op, left, right), left.span.to(right.span))
            if precedence == Precedence.comparison, let (_, next, _) = binaryOperator,
               next == Precedence.comparison {
                throw fail("comparison operators cannot be chained", label: "second comparison",
                           help: "join two comparisons with `and`, e.g. `a < b and b < c`")
            }
        }
        return left
    }

    /// `not e` sits between `and` and the comparisons: `not a == b` is `not (a == b)`.
    mutating func parsePrefix(minPrecedence: Int) throws(ParseFailure) -> Expr {
        guard check(.not) else { return try parseUnary() }
        guard minPrecedence <= Precedence.comparison else {
            throw fail("`not` cannot appear here without parentheses", label: "binds looser than this operator",
                       help: "write `(not …)`")
        }
        let start = advance().start
        try enterNesting()
        defer { depth -= 1 }
        let operand = try parseBinary(minPrecedence: Precedence.comparison)
        return Expr(.unary(.not, operand), span(from: start))
    }

    mutating func parseUnary() throws(ParseFailure) -> Expr {
        guard check(.minus) else { return try parsePower() }
        let start = advance().start
        try enterNesting()
        defer { depth -= 1 }
        let operand = try parseUnary()
        return Expr(.unary(.negate, operand), span(from: start))
    }

    mutating func parsePower() throws(ParseFailure) -> Expr {
        let base = try parsePostfix()
        guard accept(.starStar) else { return base }
        try enterNesting()
        defer { depth -= 1 }
        let exponent = try parseUnary()
        return Expr(.binary(.power, base, exponent), base.span.to(exponent.span))
    }

    /// Calls `f(…)`, indexing and slicing `xs[…]`, member access `r.name`.
    mutating func parsePostfix() throws(ParseFailure) -> Expr {
        var expr = try parsePrimary()
        var chained = 0
        defer { depth -= chained }
        while true {
            switch kind {
            case .symbol(.leftParen):
                try enterNesting()
                chained += 1
                expr = try parseCall(expr)
            case .symbol(.leftBracket):
                try enterNesting()
                chained += 1
                expr = try parseSubscript(expr)
            case .symbol(.dot):
                advance()
                let name: String
                switch kind {
                case .identifier(let identifier): name = identifier
                case .keyword(let keyword): name = keyword.rawValue
                default: throw fail("expected a member name after `.`")
                }
                try enterNesting()
                chained += 1
                let member = Identifier(name, span(of: advance()))
                expr = Expr(.member(expr, member), expr.span.to(member.span))
            default:
                return expr
            }
        }
    }

    @inline(never)
    mutating func parseCall(_ callee: Expr) throws(ParseFailure) -> Expr {
        let open = advance()
        var arguments: [Argument] = []
        while !atListEnd {
            var label: Identifier?
            if peekKind(1) == .symbol(.colon), let name = labelName {
                label = Identifier(name, span(of: advance()))
                advance()
            }
            arguments.append(Argument(label: label, value: try parseNestedExpression()))
            if !accept(.comma) { break }
        }
        guard accept(.rightParen) else {
            throw fail("expected `)` to close `(`", help: missingComma ? "separate arguments with `,`" : nil,
                       notes: openedNote("`(`", at: open))
        }
        return Expr(.call(callee: callee, arguments: arguments), callee.span.to(span(from: open.start)))
    }

    /// `xs[i]`, `xs[a:b]`, `xs[:b]`, `xs[a:]`, `xs[:]`.
    @inline(never)
    mutating func parseSubscript(_ base: Expr) throws(ParseFailure) -> Expr {
        let open = advance()
        var lower: Expr?
        if !check(.colon) { lower = try parseNestedExpression() }
        var isSlice = false
        var upper: Expr?
        if accept(.colon) {
            isSlice = true
            if !check(.rightBracket) { upper = try parseNestedExpression() }
        }
        guard accept(.rightBracket) else {
            throw fail("expected `]` to close `[`", notes: openedNote("`[`", at: open))
        }
        let span = base.span.to(span(from: open.start))
        if isSlice { return Expr(.slice(base, lower: lower, upper: upper), span) }
        guard let lower else { throw fail("expected an index inside `[]`", at: span) }
        return Expr(.index(base, lower), span)
    }

    /// A call-argument or record-field label: a name, or a keyword used as a name.
    var labelName: String? {
        switch kind {
        case .identifier(let name): return name
        case .keyword(let keyword): return keyword.rawValue
        default: return nil
        }
    }

    /// The current token could begin another element on the same line: a `,` is missing.
    var missingComma: Bool {
        canStartExpression && file.location(of: current.start).line == file.location(of: previousEnd).line
    }

    /// The current token could begin an expression.
    var canStartExpression: Bool {
        switch kind {
        case .identifier, .integer, .float, .stringStart: return true
        case .keyword(let keyword): return [.true, .false, .null, .not, .if, .run].contains(keyword)
        case .symbol(let symbol): return [.leftParen, .leftBracket, .leftBrace, .minus].contains(symbol)
        default: return false
        }
    }
}
