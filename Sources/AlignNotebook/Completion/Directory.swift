#if canImport(Glibc)
import Glibc
#endif

/// Listing a folder with libc (no Foundation in the REPL's start-up path).
enum Directory {
    struct Entry: Equatable {
        let name: String
        let isDirectory: Bool
    }

    /// The entries of `path` except `.` and `..`; empty when it cannot be read.
    static func entries(_ path: String) -> [Entry] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var found: [Entry] = []
        while let raw = readdir(dir) {
            let name = withUnsafeBytes(of: raw.pointee.d_name) { buffer in
                String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != "." && name != ".." else { continue }
            var isDirectory = raw.pointee.d_type == UInt8(DT_DIR)
            if raw.pointee.d_type == UInt8(DT_LNK) || raw.pointee.d_type == UInt8(DT_UNKNOWN) {
                var info = stat()
                let full = path.hasSuffix("/") ? path + name : path + "/" + name
                isDirectory = stat(full, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            found.append(Entry(name: name, isDirectory: isDirectory))
        }
        return found
    }
}
