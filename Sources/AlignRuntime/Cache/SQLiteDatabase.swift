@preconcurrency import CSQLite

/// A small wrapper over one SQLite connection: open with WAL and a busy timeout, run statements
/// with text/int parameters, read rows. Errors carry SQLite's own message and the file path.
final class SQLiteDatabase {
    let path: String
    private var handle: OpaquePointer?

    /// How long a statement waits for another process's lock before failing.
    static let busyTimeoutMilliseconds: Int32 = 15_000

    init(path: String) throws(CacheError) {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw CacheError("cannot open the result cache `\(path)`: \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, Self.busyTimeoutMilliseconds)
        // WAL lets readers proceed while another process writes.
        _ = try rows("PRAGMA journal_mode=WAL", [])
    }

    deinit { sqlite3_close(handle) }

    enum Parameter {
        case text(String)
        case int(Int)
    }

    /// Runs `sql` with `parameters` bound to `?1, ?2 …` and returns every result row as
    /// optional texts (NULL as nil).
    @discardableResult
    func rows(_ sql: String, _ parameters: [Parameter]) throws(CacheError) -> [[String?]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw failure("cannot prepare `\(sql)`")
        }
        defer { sqlite3_finalize(statement) }
        for (i, p) in parameters.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch p {
            case .text(let s):
                // An explicit byte length keeps any NUL inside the text.
                rc = sqlite3_bind_text(statement, index, s, Int32(clamping: s.utf8.count), csqlite_transient())
            case .int(let n): rc = sqlite3_bind_int64(statement, index, Int64(n))
            }
            guard rc == SQLITE_OK else { throw failure("cannot bind a parameter") }
        }
        var out: [[String?]] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw failure("statement failed") }
            let columns = sqlite3_column_count(statement)
            var row: [String?] = []
            for c in 0..<columns {
                if let text = sqlite3_column_text(statement, c) {
                    // By length, not up to the first NUL: generated text may contain one.
                    let count = Int(sqlite3_column_bytes(statement, c))
                    row.append(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
                } else {
                    row.append(nil)
                }
            }
            out.append(row)
        }
        return out
    }

    private func failure(_ what: String) -> CacheError {
        CacheError("result cache `\(path)`: \(what): \(String(cString: sqlite3_errmsg(handle)))")
    }
}

/// A result-cache failure, with the cache path in its message.
public struct CacheError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
