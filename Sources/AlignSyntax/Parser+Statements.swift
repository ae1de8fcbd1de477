/// Statements and blocks: bindings, assignments, declarations, imports, loops.
extension Parser {
    /// Statements up to the end of input, or up to the `}` closing a block (not consumed).
    mutating func parseStatements(inBlock: Bool) -> [Stmt] {
        var statements: [Stmt] = []
        while true {
            skipNewlines()
            if kind == .endOfFile { break }
            if check(.rightBrace) {
                if inBlock { break }
                _ = fail("unexpected `}`", label: "no open `{` to close")
                advance()
                continue
            }
            let statementStart = index
            do {
                statements.append(try parseStatement())
                if !atStatementEnd {
                    throw fail("expected a new line or `;` after the statement", help: statementEndHint)
                }
            } catch {
                synchronize(statementStart: statementStart)
            }
        }
        return statements
    }

    /// Habits from other languages that end a statement too early.
    var statementEndHint: String? {
        if kind == .symbol(.equal) { return "to compare values, use `==`" }
        if kind == .identifier("elif") { return "write `else if`" }
        if index > 0, case .identifier(let previous) = tokens[index - 1].kind,
           ["def", "function", "func"].contains(previous), case .identifier = kind {
            return "functions are declared with `fn`: `fn name(x) = …`"
        }
        return nil
    }

    /// Dispatches on the first token. Each kind of statement has its own non-inlined function:
    /// the parser recurses once per nesting level, so its frames must stay small for 256 levels
    /// to fit comfortably in a thread's stack.
    mutating func parseStatement() throws(ParseFailure) -> Stmt {
        let start = current.start
        let statement: StmtKind
        switch kind {
        case .keyword(.let), .keyword(.var):
            let mutable = advance().kind == .keyword(.var)
            let (name, value) = try parseNamedValue(after: mutable ? "var" : "let")
            statement = .binding(mutable: mutable, name: name, value: value)
        case .keyword(.objective):
            advance()
            let (name, text) = try parseNamedValue(after: "objective")
            statement = .objective(name: name, text: text)
        case .keyword(.param):
            advance()
            let (name, value) = try parseNamedValue(after: "param")
            statement = .param(name: name, defaultValue: value)
        case .keyword(.fn):
            advance()
            statement = .function(try parseFunctionDecl(keyword: "fn"))
        case .keyword(.prompt):
            advance()
            statement = .prompt(try parseFunctionDecl(keyword: "prompt"))
        case .keyword(.import):
            statement = try parseImport()
        case .keyword(.from):
            statement = try parseFromImport()
        case .keyword(.for):
            statement = try parseForLoop()
        case .keyword(.while):
            advance()
            let condition = try parseHeaderExpression()
            statement = .whileLoop(condition: condition, body: try parseBlock(after: "`while` condition"))
        case .keyword(.return):
            advance()
            statement = .returnStatement(atStatementEnd ? nil : try parseExpression())
        case .keyword(.break):
            advance()
            statement = .breakStatement
        case .keyword(.continue):
            advance()
            statement = .continueStatement
        default:
            statement = try parseExpressionOrAssignment()
        }
        return Stmt(statement, span(from: start))
    }

    /// `NAME = expr` after `let`, `var`, `objective` or `param`.
    @inline(never)
    mutating func parseNamedValue(after keyword: String) throws(ParseFailure) -> (Identifier, Expr) {
        let name = try expectName(after: keyword)
        try expectEquals(after: "`\(keyword) \(name.name)`")
        return (name, try parseExpression())
    }

    @inline(never)
    mutating func parseForLoop() throws(ParseFailure) -> StmtKind {
        advance()
        let variable = try expectName(after: "for")
        guard accept(.in) else { throw fail("expected `in` after `for \(variable.name)`") }
        let iterable = try parseHeaderExpression()
        return .forLoop(variable: variable, iterable: iterable, body: try parseBlock(after: "`for` header"))
    }

    @inline(never)
    mutating func parseExpressionOrAssignment() throws(ParseFailure) -> StmtKind {
        let target = try parseExpression()
        guard case .symbol(let symbol) = kind, let op = AssignOperator(rawValue: symbol.rawValue) else {
            return .expression(target)
        }
        switch target.kind {
        case .name, .member, .index:
            break
        default:
            throw fail("cannot assign to this expression", label: "not a variable, field or element",
                       help: op == .assign ? "to compare values, use `==`" : nil, at: target.span)
        }
        advance()
        return .assignment(target: target, op: op, value: try parseExpression())
    }

    /// `name(params) = expr` or `name(params) { … }` after `fn`; `prompt` takes a string only.
    @inline(never)
    mutating func parseFunctionDecl(keyword: String) throws(ParseFailure) -> FunctionDecl {
        let name = try expectName(after: keyword)
        guard check(.leftParen) else {
            throw fail("expected `(` after `\(keyword) \(name.name)`",
                       help: "write the parameters in parentheses, e.g. `\(keyword) \(name.name)(x) = …`")
        }
        let parameters = try parseParameters()
        if keyword == "prompt" {
            guard accept(.equal) else {
                throw fail("expected `=` after the parameters of `\(name.name)`",
                           help: "a prompt is a template string: `prompt \(name.name)(…) = \"…{x}…\"`")
            }
            guard case .stringStart = kind else {
                throw fail("expected a template string after `prompt \(name.name)(…) =`")
            }
            let template = try parseString()
            if binaryOperator != nil || check(.pipe) {
                throw fail("a prompt template must be a single string",
                           help: "put the whole text in one string and insert values with `{…}`")
            }
            return FunctionDecl(name: name, parameters: parameters, body: .expression(template))
        }
        if accept(.equal) {
            return FunctionDecl(name: name, parameters: parameters, body: .expression(try parseExpression()))
        }
        guard check(.leftBrace) else {
            throw fail("expected `=` or `{` after the parameters of `\(name.name)`",
                       help: "write `fn \(name.name)(…) = expression` or `fn \(name.name)(…) { … }`")
        }
        return FunctionDecl(name: name, parameters: parameters, body: .block(try parseBlock(after: "")))
    }

    /// `(a, b, k: 3)`; a parameter with a default is passed by name or left out.
    @inline(never)
    mutating func parseParameters() throws(ParseFailure) -> [Parameter] {
        let open = advance()
        var parameters: [Parameter] = []
        var seen: Set<String> = []
        while !atListEnd {
            let name = try expectName(after: parameters.isEmpty ? "`(`" : "`,`", what: "a parameter name")
            guard seen.insert(name.name).inserted else {
                throw fail("duplicate parameter `\(name.name)`", label: "already declared", at: name.span)
            }
            var defaultValue: Expr?
            if accept(.colon) { defaultValue = try parseNestedExpression() }
            parameters.append(Parameter(name: name, defaultValue: defaultValue))
            if !accept(.comma) { break }
        }
        guard accept(.rightParen) else {
            throw fail("expected `)` to close the parameter list", notes: openedNote("`(`", at: open))
        }
        return parameters
    }

    @inline(never)
    mutating func parseImport() throws(ParseFailure) -> StmtKind {
        advance()
        let module = try parseModuleReference(after: "import")
        var alias: Identifier?
        if accept(.as) {
            alias = try expectName(after: "as")
        } else if case .file = module {
            throw fail("expected `as` after the imported file",
                       help: "name the module: `import \"file.align\" as name`")
        }
        return .importModule(module, alias: alias)
    }

    @inline(never)
    mutating func parseFromImport() throws(ParseFailure) -> StmtKind {
        advance()
        let module = try parseModuleReference(after: "from")
        guard accept(.import) else {
            throw fail("expected `import` after the module name", help: "write `from module import name`")
        }
        var names: [ImportedName] = []
        repeat {
            let name = try expectName(after: names.isEmpty ? "import" : "`,`")
            let alias = accept(.as) ? try expectName(after: "as") : nil
            names.append(ImportedName(name: name, alias: alias))
        } while accept(.comma)
        return .importNames(module, names)
    }

    /// A module name, or a file path written as a plain string.
    mutating func parseModuleReference(after keyword: String) throws(ParseFailure) -> ModuleReference {
        if case .stringStart = kind {
            let path = try parseString()
            guard case .string(let parts) = path.kind, parts.count == 1, case .text(let text) = parts[0] else {
                throw fail("an imported file path cannot contain interpolation", label: "interpolated path",
                           at: path.span)
            }
            return .file(path: text, span: path.span)
        }
        return .named(try expectName(after: keyword, what: "a module name"))
    }

    /// `{ statements }` after a header; its value is its last expression.
    mutating func parseBlock(after header: String) throws(ParseFailure) -> Block {
        guard check(.leftBrace) else {
            let context = header.isEmpty ? "" : " after the \(header)"
            throw fail("expected `{`\(context)",
                       help: kind == .symbol(.equal) ? "to compare values, use `==`" : nil)
        }
        try enterNesting()
        defer { depth -= 1 }
        let open = advance()
        let saved = recordsAllowed
        recordsAllowed = true
        defer { recordsAllowed = saved }
        let statements = parseStatements(inBlock: true)
        guard accept(.rightBrace) else {
            throw fail("expected `}` to close the block", notes: openedNote("block", at: open))
        }
        return Block(statements: statements, span: span(from: open.start))
    }

    // MARK: - Small pieces

    mutating func expectName(after context: String, what: String = "a name") throws(ParseFailure) -> Identifier {
        if case .identifier(let name) = kind {
            return Identifier(name, span(of: advance()))
        }
        let shown = context.hasPrefix("`") ? context : "`\(context)`"
        if case .keyword(let keyword) = kind {
            throw fail("expected \(what) after \(shown), found keyword `\(keyword.rawValue)`",
                       label: "reserved word", help: "keywords cannot be used as names; pick another name")
        }
        throw fail("expected \(what) after \(shown)")
    }

    mutating func expectEquals(after context: String) throws(ParseFailure) {
        if accept(.equal) { return }
        throw fail("expected `=` after \(context)",
                   help: kind == .symbol(.equalEqual) ? "use a single `=` to give a value" : nil)
    }
}
