import AlignSyntax

/// A module file compiled once per interpreter and run the first time it is imported.
final class CompiledModule {
    enum State {
        case notRun, running
        case done(Module)
        case failed(Diagnostic)
    }

    let name: String
    /// Canonical path (the cache key).
    let path: String
    let source: SourceFile
    let globals: GlobalScope
    let code: TopLevelCode
    var state = State.notRun

    init(name: String, path: String, source: SourceFile, globals: GlobalScope, code: TopLevelCode) {
        self.name = name
        self.path = path
        self.source = source
        self.globals = globals
        self.code = code
    }

    /// Top-level names, known before the module runs (for `from m import x` checks).
    var exportNames: [String] { globals.names }

    /// Runs the module on first use; later imports share the result.
    func instantiate(runtime: Runtime, importedAt span: SourceSpan) throws -> Module {
        switch state {
        case .done(let m): return m
        case .failed(let d): throw d
        case .running:
            throw Diagnostic.error("module `\(name)` is imported while it is still being loaded", at: span)
        case .notRun:
            state = .running
            do {
                _ = try code.run(on: runtime.machine, runtime: runtime)
            } catch var d as Diagnostic {
                d.notes.append("in module `\(name)` imported at \(span.description)")
                state = .failed(d)
                throw d
            } catch {
                state = .notRun
                throw error
            }
            let m = Module(name: name, path: path, members: globals.members())
            state = .done(m)
            return m
        }
    }
}
