/// Where `import name` looks: the importing file's folder, then each `ALIGN_PATH` entry, then
/// the bundled `stdlib/`.
public struct ModuleSearch: Sendable {
    /// `ALIGN_PATH` entries (colon-separated in the environment).
    public var searchPaths: [String]
    public var stdlibDirectory: String?

    public init(searchPaths: [String], stdlibDirectory: String?) {
        self.searchPaths = searchPaths
        self.stdlibDirectory = stdlibDirectory
    }

    /// From the environment and the location of the running executable.
    public static func fromEnvironment() -> ModuleSearch {
        let paths = (SourceFiles.environment("ALIGN_PATH") ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        return ModuleSearch(searchPaths: paths, stdlibDirectory: locateStdlib())
    }

    /// `$ALIGN_STDLIB`; else the first `stdlib/` with `objectives.align` found walking up from
    /// the executable (a build inside the repository); else `<exe>/../share/align/stdlib`.
    public static func locateStdlib() -> String? {
        if let env = SourceFiles.environment("ALIGN_STDLIB"), !env.isEmpty { return env }
        guard let exe = SourceFiles.executablePath() else { return nil }
        var dir = SourceFiles.directory(of: exe)
        while true {
            let candidate = SourceFiles.join(dir, "stdlib")
            if SourceFiles.isRegularFile(SourceFiles.join(candidate, "objectives.align")) { return candidate }
            if dir == "/" || dir == "." { break }
            dir = SourceFiles.directory(of: dir)
        }
        return SourceFiles.join(SourceFiles.directory(of: SourceFiles.directory(of: exe)), "share/align/stdlib")
    }

    /// Folders searched for a module imported from a file in `directory`, in order.
    public func folders(from directory: String) -> [String] {
        [directory] + searchPaths + (stdlibDirectory.map { [$0] } ?? [])
    }
}
