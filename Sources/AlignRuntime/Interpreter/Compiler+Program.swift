import AlignSyntax

/// A whole file or REPL cell. Top-level `fn` and `prompt` are hoisted (defined before the first
/// statement runs, so they may call each other in any order); other top-level names are
/// declared up front so that function bodies may use globals defined further down.
extension Compiler {
    func compileProgram(_ program: Program, keepsLastValue: Bool) -> TopLevelCode {
        hoist(program.statements)
        var statements = program.statements
        var last: Eval?
        if keepsLastValue, let final = statements.last, case .expression(let e) = final.kind {
            statements.removeLast()
            let execs = statements.map { compileStatement($0) }
            last = compile(e)
            return finish(execs, last, program)
        }
        return finish(statements.map { compileStatement($0) }, last, program)
    }

    private func finish(_ execs: [Exec], _ last: Eval?, _ program: Program) -> TopLevelCode {
        let span = SourceSpan(file: program.file, start: 0, end: program.file.bytes.count)
        return TopLevelCode(prologue: hoisted, statements: execs, lastValue: last, frameSize: context.stackSize,
                            environmentSize: context.createsEnvironment ? context.environmentSize : nil,
                            globals: globals, span: span)
    }

    private func hoist(_ statements: [Stmt]) {
        var seen: [String: SourceSpan] = [:]
        func predeclare(_ id: Identifier, _ kind: BindingKind, hoisted: Bool = false, function: FunctionDecl? = nil) {
            if let first = seen[id.name] {
                if !options.allowsRedefinition {
                    error("`\(id.name)` is already defined", at: id.span, label: "redefined here",
                          help: "the first definition is at \(first.description); pick another name or assign with `=`")
                    return
                }
            }
            seen[id.name] = id.span
            // In the REPL an existing name stays visible until the statement redefining it runs.
            if options.allowsRedefinition && globals[id.name] != nil && !hoisted { return }
            let slot = globals.declare(id.name, kind: kind, span: id.span)
            slot.isDefinedStatically = hoisted
            slot.function = function
        }
        for s in statements {
            switch s.kind {
            case .binding(let mutable, let name, _): predeclare(name, mutable ? .varBinding : .letBinding)
            case .function(let decl): predeclare(decl.name, .function, hoisted: true, function: decl)
            case .prompt(let decl): predeclare(decl.name, .prompt, hoisted: true)
            case .objective(let name, _): predeclare(name, .objective)
            case .param(let name, _): predeclare(name, .param)
            case .importModule(.named(let id), nil): predeclare(id, .importedName)
            case .importModule(_, let alias?): predeclare(alias, .importedName)
            case .importNames(_, let names):
                for n in names { predeclare(n.alias ?? n.name, .importedName) }
            default: break
            }
        }
    }

    /// Command-line overrides naming no declared `param`.
    func unknownOverrides() -> [Diagnostic] {
        let declared = globals.names.filter { globals[$0]?.kind == .param }
        return options.paramOverrides.keys.sorted().filter { !usedOverrides.contains($0) }.map { name in
            let help = Suggestion.closest(to: name, among: declared).map { "did you mean `\($0)`?" }
                ?? (declared.isEmpty ? "the script declares no `param`" : "declared params: " + declared.joined(separator: ", "))
            return Diagnostic(.error, "unknown param `\(name)`", at: nil, help: help)
        }
    }
}
