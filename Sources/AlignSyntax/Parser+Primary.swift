/// Literals, names, lists, records, parentheses, `if` and `run` expressions.
extension Parser {
    mutating func parsePrimary() throws(ParseFailure) -> Expr {
        let token = current
        switch token.kind {
        case .integer(let value):
            advance()
            return Expr(.int(value), span(of: token))
        case .float(let value):
            advance()
            return Expr(.float(value), span(of: token))
        case .keyword(.true), .keyword(.false):
            advance()
            return Expr(.bool(token.kind == .keyword(.true)), span(of: token))
        case .keyword(.null):
            advance()
            return Expr(.null, span(of: token))
        case .identifier(let name):
            advance()
            return Expr(.name(name), span(of: token))
        case .stringStart:
            return try parseString()
        case .symbol(.leftParen):
            advance()
            let inner = try parseNestedExpression()
            guard accept(.rightParen) else {
                throw fail("expected `)` to close `(`", notes: openedNote("`(`", at: token))
            }
            return Expr(inner.kind, span(from: token.start))
        case .symbol(.leftBracket):
            return try parseList()
        case .symbol(.leftBrace) where recordsAllowed:
            return try parseRecord()
        case .keyword(.if):
            return try parseIf()
        case .keyword(.run):
            return try parseRun()
        case .keyword(let keyword) where keyword.startsStatement:
            throw fail("expected an expression, found `\(keyword.rawValue)`",
                       label: "`\(keyword.rawValue)` starts a statement",
                       help: "statements cannot be used as values; put it on a line of its own")
        case .symbol(.leftBrace):
            throw fail("expected an expression", label: "this `{` would open the body",
                       help: "to use a record here, wrap it in parentheses: `({…})`")
        case .keyword(.else):
            throw fail("expected an expression, found `else`", label: "no `if` before it", help: "`else` must follow the `}` of an `if` block")
        default:
            throw fail("expected an expression")
        }
    }

    @inline(never)
    mutating func parseList() throws(ParseFailure) -> Expr {
        let open = advance()
        var elements: [Expr] = []
        while !atListEnd {
            elements.append(try parseNestedExpression())
            if !accept(.comma) { break }
        }
        guard accept(.rightBracket) else {
            throw fail("expected `]` to close `[`", help: missingComma ? "separate elements with `,`" : nil,
                       notes: openedNote("`[`", at: open))
        }
        return Expr(.list(elements), span(from: open.start))
    }

    /// `{name: e, "a key": e, query}`; fields may sit on separate lines.
    @inline(never)
    mutating func parseRecord() throws(ParseFailure) -> Expr {
        let open = advance()
        var fields: [RecordField] = []
        var seen: Set<String> = []
        skipNewlines()
        while !check(.rightBrace) {
            let field = try parseRecordField()
            guard seen.insert(field.key.name).inserted else {
                throw fail("duplicate field `\(field.key.name)` in record", label: "already set earlier in this record",
                           at: field.key.span)
            }
            fields.append(field)
            skipNewlines()
            if !accept(.comma) { break }
            skipNewlines()
        }
        guard accept(.rightBrace) else {
            throw fail("expected `}` to close the record",
                       help: missingComma ? "separate fields with `,`" : nil, notes: openedNote("record", at: open))
        }
        return Expr(.record(fields), span(from: open.start))
    }

    @inline(never)
    mutating func parseRecordField() throws(ParseFailure) -> RecordField {
        let keyToken = current
        let key: Identifier
        switch kind {
        case .identifier(let name):
            advance()
            key = Identifier(name, span(of: keyToken))
            if !check(.colon) { return RecordField(key: key, value: Expr(.name(name), key.span)) }
        case .keyword(let keyword) where peekKind(1) == .symbol(.colon):
            advance()
            key = Identifier(keyword.rawValue, span(of: keyToken))
        case .stringStart:
            let literal = try parseString()
            guard case .string(let parts) = literal.kind, parts.count == 1, case .text(let text) = parts[0] else {
                throw fail("a field name cannot contain interpolation", label: "interpolated name", at: literal.span)
            }
            key = Identifier(text, literal.span)
            guard check(.colon) else { throw fail("expected `:` after the field name `\"\(text)\"`") }
        case .keyword(let keyword) where keyword.startsStatement:
            throw fail("expected a field name in the record, found `\(keyword.rawValue)`",
                       label: "a statement cannot go in a record", help: "a `{` here starts a record; for a function with statements, use `fn name(…) { … }`")
        default:
            throw fail("expected a field name in the record", help: "write fields as `name: value`")
        }
        advance()
        skipNewlines()
        return RecordField(key: key, value: try parseNestedExpression())
    }

    /// `if c { … } else if d { … } else { … }`.
    @inline(never)
    mutating func parseIf() throws(ParseFailure) -> Expr {
        let start = advance().start
        try enterNesting()
        defer { depth -= 1 }
        let condition = try parseHeaderExpression()
        let then = try parseBlock(after: "`if` condition")
        var elseBranch: Expr?
        if accept(.else) {
            if check(.if) {
                elseBranch = try parseIf()
            } else {
                let block = try parseBlock(after: "`else`")
                elseBranch = Expr(.block(block), block.span)
            }
        }
        return Expr(.ifElse(condition: condition, then: then, elseBranch: elseBranch), span(from: start))
    }

    /// `run "name" over rows as row { … }`.
    @inline(never)
    mutating func parseRun() throws(ParseFailure) -> Expr {
        let start = advance().start
        let shape = "write `run \"name\" over rows as row { … }`"
        let name = try parseHeaderExpression()
        guard accept(.over) else { throw fail("expected `over` after the run name", help: shape) }
        let source = try parseHeaderExpression()
        guard accept(.as) else { throw fail("expected `as` after the rows of the run", help: shape) }
        let row = try expectName(after: "as", what: "a row name")
        let body = try parseBlock(after: "`run` header")
        return Expr(.run(name: name, source: source, row: row, body: body), span(from: start))
    }
}
