import AlignSyntax

/// Finds, parses and compiles modules, once each per interpreter (cached by canonical path),
/// and reports import cycles and modules that cannot be found.
final class ModuleLoader {
    let search: ModuleSearch
    private var cache: [String: CompiledModule] = [:]
    /// Canonical paths of the files being compiled, outermost first (for cycle reports).
    var inProgress: [String] = []
    /// Compiles a module's program into its own global scope (set by the interpreter).
    var compile: ((Program, GlobalScope) -> (TopLevelCode, [Diagnostic]))?

    static let cyclePrefix = "import cycle: "

    init(search: ModuleSearch) {
        self.search = search
    }

    /// All the source files loaded so far (run manifests record them).
    var loadedModules: [CompiledModule] { cache.values.sorted { $0.path < $1.path } }

    func load(_ reference: ModuleReference, from directory: String) -> Result<CompiledModule, Diagnostic> {
        let candidates: [String]
        let name: String
        let span: SourceSpan
        switch reference {
        case .named(let id):
            name = id.name
            span = id.span
            candidates = search.folders(from: directory).map { SourceFiles.join($0, id.name + ".align") }
        case .file(let path, let s):
            span = s
            let file = String(path.split(separator: "/").last ?? Substring(path))
            name = file.hasSuffix(".align") ? String(file.dropLast(6)) : file
            candidates = [SourceFiles.join(directory, path)]
        }
        guard let found = candidates.first(where: SourceFiles.isRegularFile), let real = SourceFiles.realPath(found) else {
            var d = Diagnostic.error(reference.isFile ? "cannot find module file `\(candidates[0])`" : "unknown module `\(name)`",
                                     at: span, label: "not found")
            d.notes = candidates.map { "looked for \($0)" }
            return .failure(d)
        }
        if let cycleStart = inProgress.firstIndex(of: real) {
            let chain = (inProgress[cycleStart...] + [real]).map { SourceFiles.displayName($0) }
            return .failure(.error(ModuleLoader.cyclePrefix + chain.joined(separator: " → "), at: span,
                                   help: "move the shared definitions into a third module"))
        }
        if let cached = cache[real] { return .success(cached) }
        let text: String
        do { text = try SourceFiles.read(real) } catch {
            return .failure(.error("\(error)", at: span))
        }
        let source = SourceFile(path: found, text: text)
        let parsed = Parser.parse(source)
        let globals = GlobalScope()
        guard let compile else { return .failure(.error("internal: no module compiler", at: span)) }
        inProgress.append(real)
        let (code, diagnostics) = compile(parsed.program, globals)
        inProgress.removeLast()
        let problems = parsed.diagnostics + diagnostics
        if let cycle = problems.first(where: { $0.message.hasPrefix(ModuleLoader.cyclePrefix) }) {
            return .failure(.error(cycle.message, at: span, help: cycle.help))
        }
        if !problems.isEmpty {
            var d = Diagnostic.error("module `\(name)` has errors", at: span, label: "imported here")
            d.notes = problems.prefix(5).map { "\($0.span?.description ?? found): \($0.message)" }
            return .failure(d)
        }
        let module = CompiledModule(name: name, path: real, source: source, globals: globals, code: code)
        cache[real] = module
        return .success(module)
    }
}

extension ModuleReference {
    var isFile: Bool {
        if case .file = self { return true }
        return false
    }
}

extension SourceFiles {
    /// The last path component, for short messages.
    static func displayName(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }
}
