import AlignSyntax

/// A compact S-expression rendering of the syntax tree, so parser tests state the expected
/// tree in one readable line.
enum ASTDump {
    static func program(_ program: Program) -> String {
        program.statements.map(statement).joined(separator: "\n")
    }

    static func statement(_ stmt: Stmt) -> String {
        switch stmt.kind {
        case .expression(let e): return expr(e)
        case .binding(let mutable, let name, let value):
            return "(\(mutable ? "var" : "let") \(name.name) \(expr(value)))"
        case .assignment(let target, let op, let value):
            return "(\(op.rawValue) \(expr(target)) \(expr(value)))"
        case .function(let decl): return "(fn \(function(decl)))"
        case .objective(let name, let text): return "(objective \(name.name) \(expr(text)))"
        case .prompt(let decl): return "(prompt \(function(decl)))"
        case .param(let name, let value): return "(param \(name.name) \(expr(value)))"
        case .importModule(let module, let alias):
            return "(import \(reference(module))\(alias.map { " as \($0.name)" } ?? ""))"
        case .importNames(let module, let names):
            let list = names.map { n in n.name.name + (n.alias.map { " as \($0.name)" } ?? "") }
            return "(from \(reference(module)) import \(list.joined(separator: ", ")))"
        case .forLoop(let variable, let iterable, let body):
            return "(for \(variable.name) \(expr(iterable)) \(block(body)))"
        case .whileLoop(let condition, let body): return "(while \(expr(condition)) \(block(body)))"
        case .returnStatement(let value): return value.map { "(return \(expr($0)))" } ?? "(return)"
        case .breakStatement: return "(break)"
        case .continueStatement: return "(continue)"
        }
    }

    static func expr(_ e: Expr) -> String {
        switch e.kind {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .int(let v): return "\(v)"
        case .float(let v): return "\(v)"
        case .string(let parts):
            let shown = parts.map { part -> String in
                switch part {
                case .text(let t): return String(reflecting: t)
                case .interpolation(let value): return "{\(expr(value))}"
                }
            }
            return "(str \(shown.joined(separator: " ")))"
        case .name(let n): return n
        case .list(let items): return "[\(items.map(expr).joined(separator: " "))]"
        case .record(let fields):
            return "{\(fields.map { "\($0.key.name): \(expr($0.value))" }.joined(separator: ", "))}"
        case .unary(let op, let operand): return "(\(op.rawValue) \(expr(operand)))"
        case .binary(let op, let a, let b): return "(\(op.rawValue) \(expr(a)) \(expr(b)))"
        case .call(let callee, let arguments):
            let shown = arguments.map { ($0.label.map { "\($0.name): " } ?? "") + expr($0.value) }
            return "(call \(expr(callee))\(shown.map { " " + $0 }.joined()))"
        case .index(let base, let i): return "(index \(expr(base)) \(expr(i)))"
        case .slice(let base, let lower, let upper):
            return "(slice \(expr(base)) \(lower.map(expr) ?? "_") \(upper.map(expr) ?? "_"))"
        case .member(let base, let name): return "(. \(expr(base)) \(name.name))"
        case .lambda(let parameters, let body): return "(=> (\(params(parameters))) \(expr(body)))"
        case .ifElse(let condition, let then, let elseBranch):
            return "(if \(expr(condition)) \(block(then))\(elseBranch.map { " " + expr($0) } ?? ""))"
        case .block(let b): return block(b)
        case .run(let name, let source, let row, let body):
            return "(run \(expr(name)) \(expr(source)) \(row.name) \(block(body)))"
        }
    }

    static func block(_ b: Block) -> String {
        "{\(b.statements.map(statement).joined(separator: "; "))}"
    }

    static func function(_ decl: FunctionDecl) -> String {
        let body: String
        switch decl.body {
        case .expression(let e): body = "= \(expr(e))"
        case .block(let b): body = block(b)
        }
        return "\(decl.name.name) (\(params(decl.parameters))) \(body)"
    }

    static func params(_ parameters: [Parameter]) -> String {
        parameters.map { p in p.name.name + (p.defaultValue.map { ": \(expr($0))" } ?? "") }
            .joined(separator: " ")
    }

    static func reference(_ module: ModuleReference) -> String {
        switch module {
        case .named(let name): return name.name
        case .file(let path, _): return String(reflecting: path)
        }
    }
}

/// Parses `source` as a file named `test.align`.
func parse(_ source: String) -> ParseResult {
    Parser.parse(SourceFile(path: "test.align", text: source))
}

/// The tree of a source that must parse without diagnostics; diagnostics are returned instead
/// (prefixed with `!`) so a failing expectation shows them.
func tree(_ source: String) -> String {
    let result = parse(source)
    if !result.diagnostics.isEmpty {
        return "!" + result.diagnostics.map { "\($0.message) @\($0.span?.description ?? "-")" }
            .joined(separator: " | ")
    }
    return ASTDump.program(result.program)
}

/// UTF-8 offset of the first occurrence of `needle` in `haystack`.
func byteOffset(of needle: String, in haystack: String) -> Int? {
    let h = Array(haystack.utf8), n = Array(needle.utf8)
    guard !n.isEmpty, h.count >= n.count else { return nil }
    for i in 0...(h.count - n.count) where h[i..<(i + n.count)].elementsEqual(n) { return i }
    return nil
}
