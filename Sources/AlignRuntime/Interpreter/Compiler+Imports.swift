import AlignSyntax

/// `import m`, `import m as x`, `import "file.align" as x`, `from m import a, b as c`. Modules
/// are found and compiled when the importing file compiles (so `align check` sees their names)
/// and run when the import statement runs.
extension Compiler {
    func compileImport(_ reference: ModuleReference, alias: Identifier?, at span: SourceSpan) -> Exec {
        guard context.declaresGlobals else {
            error("`import` is only allowed at the top level of a file", at: span)
            return { _ in .normal }
        }
        let id: Identifier
        switch (reference, alias) {
        case (_, let a?): id = a
        case (.named(let n), nil): id = n
        case (.file(_, let s), nil):
            error("a file import needs a name", at: s, help: "write `import \"…\" as name`")
            return { _ in .normal }
        }
        let slot = declareGlobal(id, kind: .importedName)
        slot.isDefinedStatically = true
        guard let module = loadModule(reference) else { return { _ in .normal } }
        slot.module = module
        let runtime = self.runtime
        return { _ in
            slot.define(.module(try module.instantiate(runtime: runtime, importedAt: span)))
            return .normal
        }
    }

    func compileFromImport(_ reference: ModuleReference, _ names: [ImportedName], at span: SourceSpan) -> Exec {
        guard context.declaresGlobals else {
            error("`import` is only allowed at the top level of a file", at: span)
            return { _ in .normal }
        }
        let module = loadModule(reference)
        var bindings: [(name: String, slot: GlobalScope.Slot, span: SourceSpan)] = []
        for n in names {
            let slot = declareGlobal(n.alias ?? n.name, kind: .importedName)
            slot.isDefinedStatically = true
            if let module, !module.exportNames.contains(n.name.name) {
                let help = Suggestion.closest(to: n.name.name, among: module.exportNames).map { "did you mean `\($0)`?" }
                error("module `\(module.name)` has no member `\(n.name.name)`", at: n.name.span, label: "not in the module", help: help)
            }
            bindings.append((n.name.name, slot, n.name.span))
        }
        guard let module else { return { _ in .normal } }
        let runtime = self.runtime
        return { _ in
            let m = try module.instantiate(runtime: runtime, importedAt: span)
            for b in bindings {
                guard let v = m.members[b.name] else {
                    throw Diagnostic.error("module `\(m.name)` did not define `\(b.name)`", at: b.span)
                }
                b.slot.define(v)
            }
            return .normal
        }
    }

    private func loadModule(_ reference: ModuleReference) -> CompiledModule? {
        switch modules.load(reference, from: SourceFiles.directory(of: file.path)) {
        case .success(let m): return m
        case .failure(let d):
            diagnostics.append(d)
            return nil
        }
    }
}
