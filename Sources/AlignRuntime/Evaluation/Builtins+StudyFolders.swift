#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AlignMetrics

/// Folders of per-dataset files, as the seed's IMHI scripts use them: `imhi_files` finds the CSV
/// of each dataset under a folder, `make_folder` creates an output folder (`write` creates none).
extension Builtins {
    static var studyFolders: [Builtin] {
        [
            Builtin("imhi_files", [.init("folder")],
                    doc: "The IMHI dataset CSVs under `folder` (searched recursively, as the seed walks it) as a table of `dataset` and `path`, sorted by path; files that are not `.csv` or not named after a dataset are skipped. `imhi_files(\"out/smollm2\")`") { call in
                let folder = try call.string(0, "folder")
                let root = DataFile.resolve(folder, relativeTo: call.services.scriptDirectory)
                guard StudyFolder.isFolder(root) else { throw call.error(argument: 0, "no folder `\(folder)`") }
                var found: [(dataset: String, path: String)] = []
                try StudyFolder.walk(root, shown: folder, depth: 0) { shown, name in
                    guard name.hasSuffix(".csv"), let dataset = try? IMHIDataset(fileName: name) else { return }
                    found.append((dataset.rawValue, shown))
                }
                found.sort { $0.path < $1.path }
                return .table(Table(columnNames: ["dataset", "path"],
                                    columns: [found.map { .string($0.dataset) }, found.map { .string($0.path) }]))
            },
            Builtin("make_folder", [.init("path")],
                    doc: "Creates the folder `path` and any missing parents (like `mkdir -p`); returns the path. `make_folder(\"out/smollm2\")`") { call in
                let path = try call.string(0, "path")
                let resolved = DataFile.resolve(path, relativeTo: call.services.scriptDirectory)
                if let problem = StudyFolder.create(resolved) {
                    throw call.error(argument: 0, "cannot create folder `\(path)`: \(problem)")
                }
                return .string(path)
            },
        ]
    }
}

/// File-system walking for study folders, with plain POSIX calls (the runtime does not use
/// Foundation).
enum StudyFolder {
    /// Folders nested deeper than this are not searched, so a link cycle cannot recurse forever.
    static let maximumDepth = 32

    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Calls `visit(shownPath, fileName)` for every regular file under `path`; hidden entries
    /// (names starting with `.`, such as editor lock files) are skipped.
    static func walk(_ path: String, shown: String, depth: Int, _ visit: (String, String) throws -> Void) throws {
        guard depth <= maximumDepth, let directory = opendir(path) else { return }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        for name in names.sorted() {
            let full = path + "/" + name, display = shown.hasSuffix("/") ? shown + name : shown + "/" + name
            if isFolder(full) {
                try walk(full, shown: display, depth: depth + 1, visit)
            } else {
                try visit(display, name)
            }
        }
    }

    /// Creates `path` and its parents; nil on success, else what went wrong.
    static func create(_ path: String) -> String? {
        if isFolder(path) { return nil }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if !isFolder(prefix) && mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                return String(cString: strerror(errno))
            }
            prefix += "/"
        }
        return isFolder(path) ? nil : "a file of that name exists"
    }
}
