import Synchronization
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// sha256 of files, remembered by path + size + mtime in
/// `${XDG_CACHE_HOME:-~/.cache}/align/digests.json`, so a 4 GB checkpoint is read once, not at
/// every run. A file whose size or modification time changed is hashed again.
public final class FileDigests: Sendable {
    public static let shared = FileDigests(store: SourceFiles.join(CacheFolder.path, "digests.json"))

    /// One hashed file.
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var size: Int
        public var sha256: String
    }

    private struct Stamp: Sendable, Equatable {
        var size: Int
        var mtime: String
    }

    let store: String
    private let known = Mutex<[String: (stamp: Stamp, sha256: String)]?>(nil)

    init(store: String) { self.store = store }

    /// The digest of the regular file at `path`, from the cache when its size and mtime match.
    public func digest(of path: String) throws(CacheError) -> Entry {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CacheError("cannot read `\(path)`: \(String(cString: strerror(errno)))")
        }
        let stamp = Stamp(size: Int(info.st_size), mtime: "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)")
        if let hit = table()[path], hit.stamp == stamp { return Entry(path: path, size: stamp.size, sha256: hit.sha256) }
        let sha = try Self.hashFile(path)
        known.withLock { table in table?[path] = (stamp, sha) }
        save()
        return Entry(path: path, size: stamp.size, sha256: sha)
    }

    /// The regular files under `folder`, sorted, recursively, skipping hidden names.
    public static func files(under folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        var out: [String] = []
        for name in names.sorted() {
            let path = SourceFiles.join(folder, name)
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                out += files(under: path)
            } else if (info.st_mode & S_IFMT) == S_IFREG {
                out.append(path)
            }
        }
        return out
    }

    static func hashFile(_ path: String) throws(CacheError) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CacheError("cannot open `\(path)`: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var hasher = SHA256.Hasher()
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, size)
            if n < 0 {
                if errno == EINTR { continue }
                throw CacheError("cannot read `\(path)`: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return SHA256.hexText(hasher.finish())
    }

    private func table() -> [String: (stamp: Stamp, sha256: String)] {
        known.withLock { table in
            if table == nil { table = loadStore() }
            return table ?? [:]
        }
    }

    /// Entries of `digests.json`; an unreadable or malformed file counts as empty.
    private func loadStore() -> [String: (stamp: Stamp, sha256: String)] {
        guard let text = try? SourceFiles.read(store), case .record(let r)? = try? JSON.parse(text) else { return [:] }
        var out: [String: (stamp: Stamp, sha256: String)] = [:]
        for (path, value) in r.pairs {
            guard case .record(let e) = value, case .int(let size)? = e["size"], case .string(let mtime)? = e["mtime"],
                  case .string(let sha)? = e["sha256"] else { continue }
            out[path] = (Stamp(size: size, mtime: mtime), sha)
        }
        return out
    }

    /// Rewrites `digests.json` atomically; another process's entries written meanwhile are
    /// merged in first. Failure to save only costs a rehash later.
    private func save() {
        let merged: [String: (stamp: Stamp, sha256: String)] = known.withLock { table in
            var all = loadStore()
            for (k, v) in table ?? [:] { all[k] = v }
            table = all
            return all
        }
        var r = Record()
        for path in merged.keys.sorted() {
            guard let e = merged[path] else { continue }
            r[path] = .record(Record([("size", .int(e.stamp.size)), ("mtime", .string(e.stamp.mtime)), ("sha256", .string(e.sha256))]))
        }
        guard let text = try? JSON.encode(.record(r), indent: 2) else { return }
        try? CacheFolder.make(SourceFiles.directory(of: store))
        try? DataFile.writeAtomically(Array((text + "\n").utf8), to: store)
    }
}
