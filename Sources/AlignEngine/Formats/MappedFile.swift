#if canImport(Glibc)
import Glibc
#endif

/// A read-only memory mapping of a whole file. Weights are read in place, never copied.
/// The mapping lives as long as this object; tensors that point into it keep it alive.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let base: UnsafeRawPointer
    public let size: Int

    public init(path: String) throws(EngineError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .file(path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .file(path, "cannot stat: \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .file(path, "not a regular file") }
        let n = Int(st.st_size)
        guard n > 0 else { throw .file(path, "file is empty") }
        let p = mmap(nil, n, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw .file(path, "cannot map: \(String(cString: strerror(errno)))") }
        self.path = path
        self.base = UnsafeRawPointer(p)
        self.size = n
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), size) }

    /// Drops the resident pages wholly inside `[start, start+count)` from this process (after the
    /// bytes were copied elsewhere); a later read maps them in again from the page cache.
    public func releasePages(_ start: UnsafeRawPointer, count: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let lo = (Int(bitPattern: start) + page - 1) / page * page
        let hi = (Int(bitPattern: start) + count) / page * page
        guard hi > lo, lo >= Int(bitPattern: base), hi <= Int(bitPattern: base) + size,
              let p = UnsafeMutableRawPointer(bitPattern: lo) else { return }
        _ = madvise(p, hi - lo, MADV_DONTNEED)
    }

    /// Bytes `[offset, offset+count)`, or an error naming the file when out of range.
    public func bytes(at offset: Int, count: Int, what: String) throws(EngineError) -> UnsafeRawBufferPointer {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw .file(path, "\(what) lies outside the file (offset \(offset), \(count) bytes, file is \(size) bytes)")
        }
        return UnsafeRawBufferPointer(start: base + offset, count: count)
    }
}
