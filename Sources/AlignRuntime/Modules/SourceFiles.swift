#if canImport(Glibc)
import Glibc
#endif

/// Reading script files and locating them, with plain libc calls (no Foundation at start-up,
/// so `align run` stays fast).
public enum SourceFiles {
    public enum ReadError: Error, CustomStringConvertible {
        case cannotOpen(String, String)
        case notUTF8(String)
        public var description: String {
            switch self {
            case .cannotOpen(let path, let reason): "cannot read `\(path)`: \(reason)"
            case .notUTF8(let path): "`\(path)` is not valid UTF-8 text"
            }
        }
    }

    /// The whole file as UTF-8 text (a leading byte-order mark is dropped).
    public static func read(_ path: String) throws -> String {
        guard let f = fopen(path, "rb") else {
            throw ReadError.cannotOpen(path, String(cString: strerror(errno)))
        }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
            if n < buffer.count {
                if ferror(f) != 0 { throw ReadError.cannotOpen(path, "read error") }
                break
            }
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ReadError.notUTF8(path) }
        return text
    }

    public static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// The canonical absolute path (symlinks resolved), or nil if it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let d = String(path[..<slash])
        return d.isEmpty ? "/" : d
    }

    public static func join(_ directory: String, _ name: String) -> String {
        if name.hasPrefix("/") { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    public static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        return String(cString: v)
    }

    /// Path of the running executable.
    public static func executablePath() -> String? {
        realPath("/proc/self/exe")
    }
}
