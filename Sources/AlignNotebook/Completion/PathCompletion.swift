import AlignRuntime

/// File paths for string literals and `:load`/`:save`/`:export`: the entries of the typed
/// folder whose names start with the typed rest; folders end in `/` so Tab can go on.
enum PathCompletion {
    static func candidates(_ typed: String, in directory: String) -> [String] {
        let slash = typed.lastIndex(of: "/")
        let folderPart = slash.map { String(typed[...$0]) } ?? ""
        let namePrefix = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        let folder = folderPart.isEmpty ? directory : DataFile.resolve(folderPart, relativeTo: directory)
        return Directory.entries(folder)
            .filter { $0.name.hasPrefix(namePrefix) && ($0.name.first != "." || namePrefix.hasPrefix(".")) }
            .map { folderPart + $0.name + ($0.isDirectory ? "/" : "") }
            .sorted()
    }
}
