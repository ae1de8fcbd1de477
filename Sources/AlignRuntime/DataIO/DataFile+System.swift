#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File system access for `DataFile`, with errors that name the path and say what went wrong.
extension DataFile {
    /// The whole file.
    public static func readBytes(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw systemError(path, "cannot open") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw systemError(path, "cannot read") }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw DataIOError(path: path, "is a folder, not a file") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw systemError(path, "cannot read")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    /// Writes `bytes` to a temporary file in the destination folder, then renames it over
    /// `path`, so readers see either the old file or the complete new one. The temporary file
    /// is removed on any failure. The folder must already exist.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw DataIOError(path: path, "is a folder path, not a file name") }
        var info = stat()
        guard stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw DataIOError(path: path, "folder `\(folder)` does not exist (write creates no folders)")
        }
        let temporary = "\(folder)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw systemError(path, "cannot create a temporary file in `\(folder)`") }
        var failure: DataIOError?
        var offset = 0
        while offset < bytes.count && failure == nil {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno != EINTR { failure = systemError(path, "cannot write") } else if n > 0 { offset += n }
        }
        if failure == nil && fsync(fd) != 0 { failure = systemError(path, "cannot write") }
        if close(fd) != 0 && failure == nil { failure = systemError(path, "cannot write") }
        if failure == nil && rename(temporary, path) != 0 { failure = systemError(path, "cannot replace") }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    static func systemError(_ path: String, _ what: String) -> DataIOError {
        let reason = String(cString: strerror(errno)).lowercased()
        return DataIOError(path: path, "\(what): \(reason)")
    }
}
