import Synchronization
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Model-call results shared across runs and processes: one SQLite table in
/// `${XDG_CACHE_HOME:-~/.cache}/align/cache.sqlite`, keyed by the sha256 of everything that
/// decides the output (see `ModelCallRequest.cacheKey`). WAL mode and a busy timeout let several
/// `align` processes read and write it at once; a lost race on one key is harmless because
/// equal keys hold equal results.
public final class ResultCache: Sendable {
    public let path: String
    /// One connection is not safe for concurrent use; calls take turns.
    private let database: Mutex<SQLiteDatabase>

    public static var defaultPath: String { SourceFiles.join(CacheFolder.path, "cache.sqlite") }

    /// Opens (creating if needed) the cache at `path`; the folder is created too.
    public init(path: String = ResultCache.defaultPath) throws(CacheError) {
        self.path = path
        try CacheFolder.make(SourceFiles.directory(of: path))
        let db = try SQLiteDatabase(path: path)
        try db.rows("""
            CREATE TABLE IF NOT EXISTS results (
              key TEXT PRIMARY KEY,
              text TEXT NOT NULL,
              tokens INTEGER NOT NULL,
              model TEXT NOT NULL,
              created TEXT NOT NULL
            )
            """, [])
        database = Mutex(db)
    }

    /// The stored result for `key`, if any.
    public func lookup(_ key: String) throws(CacheError) -> ModelCallResult? {
        let rows = try locked { database throws(CacheError) in
            try database.rows("SELECT text, tokens FROM results WHERE key = ?1", [.text(key)])
        }
        guard let row = rows.first, row.count == 2, let text = row[0], let tokens = row[1].flatMap({ Int($0) }) else { return nil }
        return ModelCallResult(text: text, tokens: tokens)
    }

    /// Stores `result` under `key` (an existing entry is left as it is: equal keys, equal results).
    public func store(_ key: String, _ result: ModelCallResult, model: String) throws(CacheError) {
        try locked { database throws(CacheError) in
            try database.rows("INSERT OR IGNORE INTO results (key, text, tokens, model, created) VALUES (?1, ?2, ?3, ?4, ?5)",
                              [.text(key), .text(result.text), .int(result.tokens), .text(model), .text(RunClock.timestamp())])
        }
    }

    /// Entry count and the bytes the database, its WAL and shared-memory files take on disk.
    public func info() throws(CacheError) -> (entries: Int, bytes: Int) {
        let rows = try locked { database throws(CacheError) in try database.rows("SELECT count(*) FROM results", []) }
        let entries = rows.first?.first.flatMap { $0.flatMap { Int($0) } } ?? 0
        let bytes = ["", "-wal", "-shm"].reduce(0) { $0 + CacheFolder.fileSize(path + $1) }
        return (entries, bytes)
    }

    /// Deletes every entry and gives the space back to the file system.
    @discardableResult
    public func clear() throws(CacheError) -> Int {
        try locked { database throws(CacheError) in
            let n = try database.rows("SELECT count(*) FROM results", []).first?.first.flatMap { $0.flatMap { Int($0) } } ?? 0
            try database.rows("DELETE FROM results", [])
            try database.rows("VACUUM", [])
            try database.rows("PRAGMA wal_checkpoint(TRUNCATE)", [])
            return n
        }
    }

    @discardableResult
    private func locked<T: Sendable>(_ body: (SQLiteDatabase) throws(CacheError) -> T) throws(CacheError) -> T {
        try database.withLock { (db: inout SQLiteDatabase) throws(CacheError) -> T in try body(db) }
    }
}

/// `${XDG_CACHE_HOME:-~/.cache}/align`: the result cache and the model digest cache.
enum CacheFolder {
    static var path: String {
        if let xdg = SourceFiles.environment("XDG_CACHE_HOME"), !xdg.isEmpty { return SourceFiles.join(xdg, "align") }
        let home = SourceFiles.environment("HOME") ?? "."
        return SourceFiles.join(SourceFiles.join(home, ".cache"), "align")
    }

    static func make(_ folder: String) throws(CacheError) {
        var prefix = folder.hasPrefix("/") ? "/" : ""
        for part in folder.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw CacheError("cannot create folder `\(prefix)`: \(String(cString: strerror(errno)))")
            }
            prefix += "/"
        }
    }

    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }
}
