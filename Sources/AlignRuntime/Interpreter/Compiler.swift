import AlignSyntax

/// Turns a syntax tree into closures over resolved storage: every name becomes a stack slot,
/// a heap environment slot, a global cell or a built-in before anything runs, so evaluation
/// does no dictionary lookups. Static errors (unknown names, assignments to `let`, misplaced
/// `break`) are collected; when there are any, the program is not run.
final class Compiler {
    struct Options {
        /// The REPL lets a cell redefine a top-level name.
        var allowsRedefinition = false
        /// `param` overrides from the command line (only for the main script).
        var paramOverrides: [String: Value] = [:]
    }

    let runtime: Runtime
    let globals: GlobalScope
    let builtins: [String: Builtin]
    let modules: ModuleLoader
    let options: Options
    let file: SourceFile
    var diagnostics: [Diagnostic] = []
    var context: FunctionContext
    /// Counts compiled `break`/`continue`/`return` statements, so blocks know whether they need
    /// flow checks at all.
    var flowStatements = 0
    /// Counts places that may throw a `FlowSignal`, so enclosing statements know to catch it.
    var flowSignalSites = 0
    /// Top-level functions and prompts, created before the first statement runs.
    var hoisted: [(slot: GlobalScope.Slot, make: Eval)] = []
    /// Params that were overridden and declared (the rest are unknown-param errors).
    var usedOverrides: Set<String> = []

    init(runtime: Runtime, globals: GlobalScope, builtins: [String: Builtin], modules: ModuleLoader,
         options: Options, file: SourceFile, topLevel statements: [Stmt]) {
        self.runtime = runtime
        self.globals = globals
        self.builtins = builtins
        self.modules = modules
        self.options = options
        self.file = file
        let scan = NameScan.scan(statements)
        self.context = FunctionContext(parent: nil, isTopLevel: true, scan: scan, parameters: [])
    }

    var machine: Machine { runtime.machine }

    func error(_ message: String, at span: SourceSpan, label: String? = nil, help: String? = nil) {
        diagnostics.append(.error(message, at: span, label: label, help: help))
    }

    /// A placeholder for code that failed to compile (never run: programs with errors do not run).
    func failed(_ message: String, at span: SourceSpan, label: String? = nil, help: String? = nil) -> Eval {
        let d = Diagnostic.error(message, at: span, label: label, help: help)
        diagnostics.append(d)
        return { _ in throw d }
    }
}

/// One function (or the top level) being compiled: its block scopes and slot counts.
final class FunctionContext {
    struct Local {
        let storage: LocalStorage
        let kind: BindingKind
        let span: SourceSpan
    }

    let parent: FunctionContext?
    /// Top-level declarations of a file (outermost block) are globals, not locals.
    let isTopLevel: Bool
    var blocks: [[String: Local]] = [[:]]
    var stackSize = 0
    var environmentSize = 0
    let usedByNested: Set<String>
    /// Whether calls of this function allocate an `Environment` of their own.
    let createsEnvironment: Bool
    var loopDepth = 0

    init(parent: FunctionContext?, isTopLevel: Bool, scan: NameScan, parameters: [String]) {
        self.parent = parent
        self.isTopLevel = isTopLevel
        self.usedByNested = scan.usedByNested
        let own = scan.declared.union(parameters)
        self.createsEnvironment = !own.isDisjoint(with: scan.usedByNested)
    }

    var declaresGlobals: Bool { isTopLevel && blocks.count == 1 }

    func allocate(_ name: String) -> LocalStorage {
        if createsEnvironment && usedByNested.contains(name) {
            environmentSize += 1
            return .environment(environmentSize - 1)
        }
        stackSize += 1
        return .stack(stackSize - 1)
    }
}

/// What a name refers to at one point of the program.
enum Resolution {
    case local(LocalStorage, hops: Int, kind: BindingKind)
    case global(GlobalScope.Slot)
    case builtin(Builtin)
}

extension Compiler {
    func pushBlock() { context.blocks.append([:]) }
    func popBlock() { context.blocks.removeLast() }

    /// Declares a block-local name and returns where it lives (`nil` for a global).
    @discardableResult
    func declareLocal(_ id: Identifier, kind: BindingKind) -> LocalStorage {
        if let previous = context.blocks[context.blocks.count - 1][id.name] {
            error("`\(id.name)` is already defined in this block", at: id.span, label: "redefined here",
                  help: "the first definition is at \(previous.span.description); pick another name or assign with `=`")
        }
        let storage = context.allocate(id.name)
        context.blocks[context.blocks.count - 1][id.name] = FunctionContext.Local(storage: storage, kind: kind, span: id.span)
        return storage
    }

    /// The global for a top-level declaration: the slot hoisting made for it, or in the REPL a
    /// fresh one replacing an earlier definition. Duplicates were reported by `hoist`.
    func declareGlobal(_ id: Identifier, kind: BindingKind) -> GlobalScope.Slot {
        if let existing = globals[id.name] {
            let same = existing.span.start == id.span.start && existing.span.file === id.span.file
            if same || !options.allowsRedefinition { return existing }
        }
        return globals.declare(id.name, kind: kind, span: id.span)
    }

    func resolve(_ name: String) -> Resolution? {
        var hops = 0
        var c: FunctionContext? = context
        while let ctx = c {
            for block in ctx.blocks.reversed() {
                if let local = block[name] { return .local(local.storage, hops: hops, kind: local.kind) }
            }
            if ctx.createsEnvironment { hops += 1 }
            c = ctx.parent
        }
        if let g = globals[name] { return .global(g) }
        if let b = builtins[name] { return .builtin(b) }
        return nil
    }

    /// Every name visible here, for did-you-mean.
    func visibleNames() -> [String] {
        var names: [String] = []
        var c: FunctionContext? = context
        while let ctx = c {
            for block in ctx.blocks { names += block.keys }
            c = ctx.parent
        }
        return names + globals.names + builtins.keys.sorted()
    }

    func unknownName(_ name: String, at span: SourceSpan) -> Eval {
        let help = Suggestion.closest(to: name, among: visibleNames()).map { "did you mean `\($0)`?" }
        return failed("unknown name `\(name)`", at: span, label: "not defined", help: help)
    }

    /// True while compiling code that runs directly at the top level (not inside a function).
    var isTopLevelCode: Bool { context.isTopLevel }
}
