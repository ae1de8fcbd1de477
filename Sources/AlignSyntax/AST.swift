/// The syntax tree of an `.align` program. Immutable values; every node carries the span of
/// source it came from. The interpreter resolves names into its own form, so nothing here is
/// annotated after parsing.
///
/// The closed sets of node kinds live in this one file, each case with a doc comment.

/// A whole file (or REPL cell).
public struct Program: Sendable {
    public let file: SourceFile
    public let statements: [Stmt]
    public init(file: SourceFile, statements: [Stmt]) {
        self.file = file
        self.statements = statements
    }
}

/// `{ … }` after `if`, `else`, `for`, `while`, a `fn` signature or a `run` header. Its value is
/// the value of its last statement when that is an expression statement, else `null`.
public struct Block: Sendable {
    public let statements: [Stmt]
    public let span: SourceSpan
    public init(statements: [Stmt], span: SourceSpan) {
        self.statements = statements
        self.span = span
    }
}

public struct Expr: Sendable {
    public let kind: ExprKind
    public let span: SourceSpan
    public init(_ kind: ExprKind, _ span: SourceSpan) {
        self.kind = kind
        self.span = span
    }
}

public struct Stmt: Sendable {
    public let kind: StmtKind
    public let span: SourceSpan
    public init(_ kind: StmtKind, _ span: SourceSpan) {
        self.kind = kind
        self.span = span
    }
}

/// A name together with where it was written (for diagnostics).
public struct Identifier: Sendable {
    public let name: String
    public let span: SourceSpan
    public init(_ name: String, _ span: SourceSpan) {
        self.name = name
        self.span = span
    }
}

public indirect enum ExprKind: Sendable {
    /// `null`
    case null
    /// `true` / `false`
    case bool(Bool)
    /// `42`, `1_000` (64-bit)
    case int(Int)
    /// `3.5`, `1e-3`
    case float(Double)
    /// `"a {x} b"`, `"""…"""`, `r"…"`: literal text and interpolated expressions in order.
    /// A string without interpolation has exactly one `.text` part (possibly empty).
    case string([StringPart])
    /// A variable reference.
    case name(String)
    /// `[a, b, c]`
    case list([Expr])
    /// `{name: e, query}` — ordered fields; shorthand `{query}` becomes `query: query`.
    case record([RecordField])
    /// `-e`, `not e`
    case unary(UnaryOperator, Expr)
    /// `a + b`, `a and b`, `x in xs`, … (`and`/`or` short-circuit).
    case binary(BinaryOperator, Expr, Expr)
    /// `f(a, b, name: c)`. A pipeline `a |> f(b)` is parsed as `f(a, b)`; `a |> f` as `f(a)`.
    case call(callee: Expr, arguments: [Argument])
    /// `xs[i]`, `r["name"]`
    case index(Expr, Expr)
    /// `xs[a:b]`, `xs[:b]`, `xs[a:]`
    case slice(Expr, lower: Expr?, upper: Expr?)
    /// `r.name`, `module.member`, `table.column`
    case member(Expr, Identifier)
    /// `x => e`, `(a, b) => e`, `() => e`
    case lambda(parameters: [Parameter], body: Expr)
    /// `if c { … } else { … }`; `else if` chains put another `.ifElse` in `elseBranch`,
    /// a plain `else` puts a `.block`.
    case ifElse(condition: Expr, then: Block, elseBranch: Expr?)
    /// A block used as an expression (the `else` branch of an `if`).
    case block(Block)
    /// `run "name" over table as row { … }` — evaluates the body per row into a run folder.
    case run(name: Expr, source: Expr, row: Identifier, body: Block)
}

public enum StringPart: Sendable {
    case text(String)
    case interpolation(Expr)
}

public struct RecordField: Sendable {
    public let key: Identifier
    public let value: Expr
    public init(key: Identifier, value: Expr) {
        self.key = key
        self.value = value
    }
}

/// A call argument; `label` is set for `name: value`.
public struct Argument: Sendable {
    public let label: Identifier?
    public let value: Expr
    public init(label: Identifier?, value: Expr) {
        self.label = label
        self.value = value
    }
}

/// A function, lambda or prompt parameter, optionally with a default (`k: 3`).
public struct Parameter: Sendable {
    public let name: Identifier
    public let defaultValue: Expr?
    public init(name: Identifier, defaultValue: Expr?) {
        self.name = name
        self.defaultValue = defaultValue
    }
}

public enum UnaryOperator: String, Sendable {
    /// `-x`
    case negate = "-"
    /// `not x`
    case not = "not"
}

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//"
    case modulo = "%", power = "**"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and = "and", or = "or"
    /// membership: `x in xs`
    case `in` = "in"
    /// `x not in xs`
    case notIn = "not in"
}

/// `=`, `+=`, `-=`, `*=`, `/=`
public enum AssignOperator: String, Sendable {
    case assign = "=", add = "+=", subtract = "-=", multiply = "*=", divide = "/="
}

/// `fn name(params) = expr` or `fn name(params) { block }`; also the shape of `prompt`.
public struct FunctionDecl: Sendable {
    public let name: Identifier
    public let parameters: [Parameter]
    public let body: FunctionBody
    public init(name: Identifier, parameters: [Parameter], body: FunctionBody) {
        self.name = name
        self.parameters = parameters
        self.body = body
    }
}

public enum FunctionBody: Sendable {
    case expression(Expr)
    case block(Block)
}

/// What an `import` names: a module found on the search path, or a file relative to the script.
public enum ModuleReference: Sendable {
    /// `import objectives`
    case named(Identifier)
    /// `import "path/to/file.align" as x`
    case file(path: String, span: SourceSpan)
}

/// One name in `from m import a, b as c`.
public struct ImportedName: Sendable {
    public let name: Identifier
    public let alias: Identifier?
    public init(name: Identifier, alias: Identifier?) {
        self.name = name
        self.alias = alias
    }
}

public enum StmtKind: Sendable {
    /// A bare expression; its value is discarded in scripts and shown in the REPL.
    case expression(Expr)
    /// `let x = e` (`mutable == false`) or `var x = e`.
    case binding(mutable: Bool, name: Identifier, value: Expr)
    /// `x = e`, `x += e`, `r.f = e`, `xs[i] = e` (targets must be `var` bindings).
    case assignment(target: Expr, op: AssignOperator, value: Expr)
    /// `fn name(params) …`
    case function(FunctionDecl)
    /// `objective name = "Text: description"`
    case objective(name: Identifier, text: Expr)
    /// `prompt name(params) = "template {param}"`; the statement's span text is its source.
    case prompt(FunctionDecl)
    /// `param name = default` — overridable from the command line.
    case param(name: Identifier, defaultValue: Expr)
    /// `import m` / `import m as x` / `import "file.align" as x`
    case importModule(ModuleReference, alias: Identifier?)
    /// `from m import a, b as c`
    case importNames(ModuleReference, [ImportedName])
    /// `for x in e { … }`
    case forLoop(variable: Identifier, iterable: Expr, body: Block)
    /// `while c { … }`
    case whileLoop(condition: Expr, body: Block)
    /// `return` / `return e`
    case returnStatement(Expr?)
    /// `break`
    case breakStatement
    /// `continue`
    case continueStatement
}
