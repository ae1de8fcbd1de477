import AlignSyntax

/// A pre-pass over one function body deciding which of its variables must live in a heap
/// `Environment`: those whose names are used inside nested functions or lambdas. Name-based,
/// so it may keep a few extra variables on the heap, never too few.
struct NameScan {
    /// Names the body declares itself (parameters excluded).
    private(set) var declared: Set<String> = []
    /// Every name mentioned anywhere inside nested functions and lambdas.
    private(set) var usedByNested: Set<String> = []
    private var nesting = 0

    static func scan(_ body: FunctionBody) -> NameScan {
        var s = NameScan()
        switch body {
        case .expression(let e): s.visit(e)
        case .block(let b): s.visit(b)
        }
        return s
    }

    static func scan(_ statements: [Stmt]) -> NameScan {
        var s = NameScan()
        for st in statements { s.visit(st) }
        return s
    }

    private mutating func declare(_ name: String) {
        if nesting == 0 { declared.insert(name) } else { usedByNested.insert(name) }
    }

    private mutating func use(_ name: String) {
        if nesting > 0 { usedByNested.insert(name) }
    }

    private mutating func visit(_ b: Block) {
        for s in b.statements { visit(s) }
    }

    private mutating func visitFunction(_ decl: FunctionDecl) {
        declare(decl.name.name)
        nesting += 1
        for p in decl.parameters {
            use(p.name.name)
            if let d = p.defaultValue { visit(d) }
        }
        switch decl.body {
        case .expression(let e): visit(e)
        case .block(let b): visit(b)
        }
        nesting -= 1
    }

    private mutating func visit(_ s: Stmt) {
        switch s.kind {
        case .expression(let e): visit(e)
        case .binding(_, let name, let value):
            visit(value)
            declare(name.name)
        case .assignment(let target, _, let value):
            visit(target)
            visit(value)
        case .function(let decl), .prompt(let decl): visitFunction(decl)
        case .objective(let name, let text):
            visit(text)
            declare(name.name)
        case .param(let name, let value):
            visit(value)
            declare(name.name)
        case .importModule(let ref, let alias):
            if let alias { declare(alias.name) } else if case .named(let id) = ref { declare(id.name) }
        case .importNames(_, let names):
            for n in names { declare((n.alias ?? n.name).name) }
        case .forLoop(let variable, let iterable, let body):
            visit(iterable)
            declare(variable.name)
            visit(body)
        case .whileLoop(let condition, let body):
            visit(condition)
            visit(body)
        case .returnStatement(let e): if let e { visit(e) }
        case .breakStatement, .continueStatement: break
        }
    }

    private mutating func visit(_ e: Expr) {
        switch e.kind {
        case .null, .bool, .int, .float: break
        case .string(let parts):
            for case .interpolation(let x) in parts { visit(x) }
        case .name(let n): use(n)
        case .list(let xs): for x in xs { visit(x) }
        case .record(let fields): for f in fields { visit(f.value) }
        case .unary(_, let x): visit(x)
        case .binary(_, let l, let r):
            visit(l)
            visit(r)
        case .call(let callee, let args):
            visit(callee)
            for a in args { visit(a.value) }
        case .index(let b, let i):
            visit(b)
            visit(i)
        case .slice(let b, let lo, let hi):
            visit(b)
            if let lo { visit(lo) }
            if let hi { visit(hi) }
        case .member(let b, _): visit(b)
        case .lambda(let params, let body):
            nesting += 1
            for p in params {
                use(p.name.name)
                if let d = p.defaultValue { visit(d) }
            }
            visit(body)
            nesting -= 1
        case .ifElse(let c, let then, let elseBranch):
            visit(c)
            visit(then)
            if let elseBranch { visit(elseBranch) }
        case .block(let b): visit(b)
        case .run(let name, let source, let row, let body):
            visit(name)
            visit(source)
            declare(row.name)
            visit(body)
        }
    }
}
