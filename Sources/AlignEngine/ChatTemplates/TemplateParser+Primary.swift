/// Literals, names, postfix access, call arguments, filters and tests.
extension TemplateParser {
    mutating func parsePrimary() throws(TemplateError) -> TemplateExpr {
        let at = offset
        guard let kind = current else { throw TemplateError("expected an expression", at: at) }
        switch kind {
        case .name(let n):
            i += 1
            switch n {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default: return .name(n, at: at)
            }
        case .string(var s):
            i += 1
            while case .string(let more)? = current { s += more; i += 1 }
            return .literal(.string(s))
        case .integer(let n):
            i += 1
            return .literal(.int(n))
        case .number(let d):
            i += 1
            return .literal(.double(d))
        case .symbol("("):
            i += 1
            let first = try parseExpression()
            if accept(")") { return first }
            var items = [first]
            while accept(",") {
                if isSymbol(")") { break }
                items.append(try parseExpression())
            }
            try expect(")")
            return .list(items)
        case .symbol("["):
            i += 1
            var items: [TemplateExpr] = []
            while !accept("]") {
                items.append(try parseExpression())
                if !isSymbol("]") { try expect(",") }
            }
            return .list(items)
        case .symbol("{"):
            i += 1
            var pairs: [(TemplateExpr, TemplateExpr)] = []
            while !accept("}") {
                let key = try parseExpression()
                try expect(":")
                pairs.append((key, try parseExpression()))
                if !isSymbol("}") { try expect(",") }
            }
            return .dict(pairs)
        default:
            throw TemplateError("expected an expression", at: at)
        }
    }

    mutating func parsePostfix(_ base: TemplateExpr) throws(TemplateError) -> TemplateExpr {
        var node = base
        while true {
            let at = offset
            if isSymbol(".") || isSymbol("[") || isSymbol("(") { try grow() }
            if accept(".") {
                guard case .name(let n)? = current else {
                    if case .integer(let k)? = current { i += 1; node = .item(node, .literal(.int(k)), at: at); continue }
                    throw TemplateError("expected an attribute name", at: offset)
                }
                i += 1
                node = .attribute(node, n, at: at)
            } else if accept("[") {
                node = try parseSubscript(node, at: at)
            } else if isSymbol("(") {
                i += 1
                let (args, kwargs) = try parseArguments()
                node = .call(node, args: args, kwargs: kwargs, at: at)
            } else {
                return node
            }
        }
    }

    private mutating func parseSubscript(_ node: TemplateExpr, at: Int) throws(TemplateError) -> TemplateExpr {
        var parts: [TemplateExpr?] = [nil]
        var sawColon = false
        while !accept("]") {
            if accept(":") {
                sawColon = true
                parts.append(nil)
                continue
            }
            guard parts[parts.count - 1] == nil, parts.count <= 3 else { throw TemplateError("bad subscript", at: offset) }
            parts[parts.count - 1] = try parseExpression()
        }
        guard sawColon else {
            guard let index = parts[0] else { throw TemplateError("empty subscript", at: at) }
            return .item(node, index, at: at)
        }
        guard parts.count <= 3 else { throw TemplateError("bad slice", at: at) }
        return .slice(node, start: parts[0], stop: parts.count > 1 ? parts[1] : nil, step: parts.count > 2 ? parts[2] : nil, at: at)
    }

    /// After `(`: positional and `name=value` arguments up to `)`.
    mutating func parseArguments() throws(TemplateError) -> ([TemplateExpr], [(String, TemplateExpr)]) {
        var args: [TemplateExpr] = []
        var kwargs: [(String, TemplateExpr)] = []
        while !accept(")") {
            if case .name(let n)? = current, i + 1 < tokens.count, tokens[i + 1].kind == .symbol("=") {
                i += 2
                kwargs.append((n, try parseExpression()))
            } else {
                args.append(try parseExpression())
            }
            if !isSymbol(")") { try expect(",") }
        }
        return (args, kwargs)
    }

    mutating func parseFilters(_ base: TemplateExpr) throws(TemplateError) -> TemplateExpr {
        var node = base
        while true {
            let at = offset
            if isSymbol("|") || isName("is") { try grow() }
            if accept("|") {
                let name = try expectName()
                var args: [TemplateExpr] = []
                var kwargs: [(String, TemplateExpr)] = []
                if accept("(") { (args, kwargs) = try parseArguments() }
                node = .filter(node, name: name, args: args, kwargs: kwargs, at: at)
            } else if accept("is") {
                let negated = accept("not")
                let name: String
                if case .name(let n)? = current { name = n; i += 1 }
                else if isSymbol("==") { name = "=="; i += 1 }
                else { throw TemplateError("expected a test name", at: offset) }
                var args: [TemplateExpr] = []
                if accept("(") {
                    (args, _) = try parseArguments()
                } else if let kind = current, Self.startsTestArgument(kind) {
                    args = [try parsePostfix(try parsePrimary())]
                }
                node = .test(node, name: name, args: args, negated: negated, at: at)
            } else {
                return node
            }
        }
    }

    /// `x is divisibleby 3`, `x is equalto 'a'`: a test may take one argument without parentheses.
    private static func startsTestArgument(_ kind: TemplateLexer.Kind) -> Bool {
        switch kind {
        case .string, .integer, .number: true
        case .name(let n): !["and", "or", "else", "if", "in", "is", "not"].contains(n)
        default: false
        }
    }
}
