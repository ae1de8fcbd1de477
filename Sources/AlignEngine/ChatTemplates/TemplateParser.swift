/// Recursive-descent parser from lexer tokens to `TemplateNode`s.
///
/// Matches: jinja2 `parser.py` precedence — conditional, `or`, `and`, `not`, comparisons and `in`,
/// `+ -`, `~`, `* / // %`, `**`, unary `-`, then postfix (`.`, `[]`, calls) with filters and tests.
struct TemplateParser {
    let tokens: [TemplateLexer.Token]
    var i = 0
    private let end: Int
    /// Nesting of blocks and parentheses, and operator nodes in the current tag: both bound the
    /// recursion depth of evaluation, so a hostile template cannot overflow the stack.
    private var depth = 0
    private var nodesInTag = 0
    static let maxDepth = 100
    static let maxNodesInTag = 2000

    init(_ lexer: TemplateLexer) {
        tokens = lexer.tokens
        end = lexer.source.count
    }

    mutating func parseTemplate() throws(TemplateError) -> [TemplateNode] {
        let (body, stop) = try parseBody(until: [])
        if let stop { throw TemplateError("unexpected `\(stop)`", at: offset) }
        return body
    }

    // MARK: - Token helpers

    var offset: Int { i < tokens.count ? tokens[i].offset : end }
    var current: TemplateLexer.Kind? { i < tokens.count ? tokens[i].kind : nil }

    func isSymbol(_ s: String) -> Bool { current == .symbol(s) }
    func isName(_ s: String) -> Bool { current == .name(s) }

    mutating func accept(_ s: String) -> Bool {
        if isSymbol(s) || isName(s) { i += 1; return true }
        return false
    }

    mutating func expect(_ s: String) throws(TemplateError) {
        guard accept(s) else { throw TemplateError("expected `\(s)`", at: offset) }
    }

    mutating func expectName() throws(TemplateError) -> String {
        guard case .name(let n)? = current else { throw TemplateError("expected a name", at: offset) }
        i += 1
        return n
    }

    private mutating func expectBlockEnd() throws(TemplateError) {
        guard current == .blockEnd else { throw TemplateError("expected `%}`", at: offset) }
        i += 1
    }

    // MARK: - Statements

    /// Nodes up to a block tag whose keyword is in `stops` (the keyword is consumed, its tag is not).
    private mutating func parseBody(until stops: Set<String>) throws(TemplateError) -> ([TemplateNode], String?) {
        try enter()
        defer { depth -= 1 }
        var nodes: [TemplateNode] = []
        while let kind = current {
            switch kind {
            case .text(let t):
                nodes.append(.text(t))
                i += 1
            case .variableBegin:
                i += 1
                nodesInTag = 0
                nodes.append(.output(try parseExpression()))
                guard current == .variableEnd else { throw TemplateError("expected `}}`", at: offset) }
                i += 1
            case .blockBegin:
                i += 1
                nodesInTag = 0
                let start = offset
                let keyword = try expectName()
                if stops.contains(keyword) { return (nodes, keyword) }
                nodes.append(try parseStatement(keyword, at: start))
            default:
                throw TemplateError("unexpected token", at: offset)
            }
        }
        if !stops.isEmpty {
            throw TemplateError("missing `{% " + stops.sorted().joined(separator: "` or `{% ") + " %}`", at: end)
        }
        return (nodes, nil)
    }

    private mutating func parseStatement(_ keyword: String, at start: Int) throws(TemplateError) -> TemplateNode {
        switch keyword {
        case "if": return try parseIf()
        case "for": return try parseFor(at: start)
        case "set": return try parseSet(at: start)
        case "macro": return try parseMacro()
        case "generation":
            try expectBlockEnd()
            let (body, _) = try parseBody(until: ["endgeneration"])
            try expectBlockEnd()
            return .generation(body)
        case "break", "continue":
            try expectBlockEnd()
            return keyword == "break" ? .breakLoop : .continueLoop
        default: throw TemplateError("unknown statement `\(keyword)`", at: start)
        }
    }

    private mutating func parseIf() throws(TemplateError) -> TemplateNode {
        var branches: [(condition: TemplateExpr, body: [TemplateNode])] = []
        var condition = try parseExpression()
        while true {
            try expectBlockEnd()
            let (body, stop) = try parseBody(until: ["elif", "else", "endif"])
            branches.append((condition, body))
            switch stop {
            case "elif": condition = try parseExpression()
            case "else":
                try expectBlockEnd()
                let (otherwise, _) = try parseBody(until: ["endif"])
                try expectBlockEnd()
                return .ifChain(branches, otherwise: otherwise)
            default:
                try expectBlockEnd()
                return .ifChain(branches, otherwise: [])
            }
        }
    }

    private mutating func parseFor(at start: Int) throws(TemplateError) -> TemplateNode {
        var targets = [try expectName()]
        while accept(",") { targets.append(try expectName()) }
        try expect("in")
        let iterable = try parseExpression(allowConditional: false)
        let filter = accept("if") ? try parseExpression(allowConditional: false) : nil
        try expectBlockEnd()
        let (body, stop) = try parseBody(until: ["else", "endfor"])
        var otherwise: [TemplateNode] = []
        if stop == "else" {
            try expectBlockEnd()
            (otherwise, _) = try parseBody(until: ["endfor"])
        }
        try expectBlockEnd()
        return .forLoop(targets: targets, iterable: iterable, filter: filter, body: body, otherwise: otherwise, at: start)
    }

    private mutating func parseSet(at start: Int) throws(TemplateError) -> TemplateNode {
        var targets = [try expectName()]
        var attribute: String?
        if accept(".") {
            attribute = try expectName()
        } else {
            while accept(",") { targets.append(try expectName()) }
        }
        if current == .blockEnd, attribute == nil, targets.count == 1 {
            i += 1
            let (body, _) = try parseBody(until: ["endset"])
            try expectBlockEnd()
            return .setBlock(targets[0], body: body)
        }
        try expect("=")
        let value = try parseExpression()
        try expectBlockEnd()
        return .set(targets: targets, attribute: attribute, value: value, at: start)
    }

    private mutating func parseMacro() throws(TemplateError) -> TemplateNode {
        let name = try expectName()
        try expect("(")
        var parameters: [(String, TemplateExpr?)] = []
        while !accept(")") {
            let p = try expectName()
            parameters.append((p, accept("=") ? try parseExpression() : nil))
            if !isSymbol(")") { try expect(",") }
        }
        try expectBlockEnd()
        let (body, _) = try parseBody(until: ["endmacro"])
        try expectBlockEnd()
        return .macro(name: name, parameters: parameters, body: body)
    }

    // MARK: - Expressions

    mutating func enter() throws(TemplateError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw TemplateError("template nests too deep", at: offset) }
    }

    /// Counts one more operator node in this tag.
    mutating func grow() throws(TemplateError) {
        nodesInTag += 1
        guard nodesInTag <= Self.maxNodesInTag else { throw TemplateError("expression is too long", at: offset) }
    }

    mutating func parseExpression(allowConditional: Bool = true) throws(TemplateError) -> TemplateExpr {
        try enter()
        defer { depth -= 1 }
        let value = try parseOr()
        guard allowConditional, accept("if") else { return value }
        let condition = try parseOr()
        let otherwise = accept("else") ? try parseExpression() : nil
        return .conditional(then: value, condition: condition, otherwise: otherwise)
    }

    private mutating func parseOr() throws(TemplateError) -> TemplateExpr {
        var left = try parseAnd()
        while accept("or") { try grow(); left = .or(left, try parseAnd()) }
        return left
    }

    private mutating func parseAnd() throws(TemplateError) -> TemplateExpr {
        var left = try parseNot()
        while accept("and") { try grow(); left = .and(left, try parseNot()) }
        return left
    }

    private mutating func parseNot() throws(TemplateError) -> TemplateExpr {
        let at = offset
        if accept("not") { return .unary("not", try parseNot(), at: at) }
        return try parseCompare()
    }

    private mutating func parseCompare() throws(TemplateError) -> TemplateExpr {
        var left = try parseMath1()
        while true {
            let at = offset
            if case .symbol(let op)? = current, ["==", "!=", "<", ">", "<=", ">="].contains(op) {
                i += 1
                try grow()
                left = .binary(op, left, try parseMath1(), at: at)
            } else if accept("in") {
                try grow()
                left = .binary("in", left, try parseMath1(), at: at)
            } else if isName("not"), i + 1 < tokens.count, tokens[i + 1].kind == .name("in") {
                i += 2
                try grow()
                left = .unary("not", .binary("in", left, try parseMath1(), at: at), at: at)
            } else {
                return left
            }
        }
    }

    private mutating func parseMath1() throws(TemplateError) -> TemplateExpr {
        var left = try parseConcat()
        while isSymbol("+") || isSymbol("-") {
            let at = offset
            guard case .symbol(let op)? = current else { break }
            i += 1
            try grow()
            left = .binary(op, left, try parseConcat(), at: at)
        }
        return left
    }

    private mutating func parseConcat() throws(TemplateError) -> TemplateExpr {
        var left = try parseMath2()
        while isSymbol("~") {
            let at = offset
            i += 1
            try grow()
            left = .binary("~", left, try parseMath2(), at: at)
        }
        return left
    }

    private mutating func parseMath2() throws(TemplateError) -> TemplateExpr {
        var left = try parsePow()
        while true {
            let at = offset
            guard case .symbol(let op)? = current, ["*", "/", "//", "%"].contains(op) else { return left }
            i += 1
            try grow()
            left = .binary(op, left, try parsePow(), at: at)
        }
    }

    private mutating func parsePow() throws(TemplateError) -> TemplateExpr {
        var left = try parseUnary()
        while isSymbol("**") {
            let at = offset
            i += 1
            try grow()
            left = .binary("**", left, try parseUnary(), at: at)
        }
        return left
    }

    /// Filters bind to the whole unary expression: `-x|abs` is `(-x)|abs`.
    private mutating func parseUnary(withFilters: Bool = true) throws(TemplateError) -> TemplateExpr {
        let at = offset
        try enter()
        defer { depth -= 1 }
        let node: TemplateExpr
        if accept("-") {
            node = .unary("-", try parseUnary(withFilters: false), at: at)
        } else if accept("+") {
            node = try parseUnary(withFilters: false)
        } else {
            node = try parsePostfix(try parsePrimary())
        }
        return withFilters ? try parseFilters(node) : node
    }
}
