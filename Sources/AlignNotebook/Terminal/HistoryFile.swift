import AlignRuntime
#if canImport(Glibc)
import Glibc
#endif

/// The REPL's history file: one entry per line, a multi-line cell kept as one entry with its
/// line breaks written `\n` (and backslashes `\\`). Entries are appended as they are made, so
/// history survives a crash; the file is cut back to the newest `capacity` entries on load.
public struct HistoryFile: Sendable {
    public let path: String
    public let capacity: Int

    public init(path: String, capacity: Int = 1000) {
        self.path = path
        self.capacity = max(1, capacity)
    }

    /// `$XDG_STATE_HOME/align/history`, else `~/.local/state/align/history`.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/align/history"
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/state/align/history"
    }

    /// The saved entries, oldest first (at most `capacity`).
    public func load() -> [String] {
        guard let text = try? SourceFiles.read(path) else { return [] }
        let entries = text.split(separator: "\n").map { HistoryFile.decode(String($0)) }
        if entries.count > capacity {
            let kept = Array(entries.suffix(capacity))
            let body = kept.map(HistoryFile.encode).joined(separator: "\n") + "\n"
            try? DataFile.writeAtomically(Array(body.utf8), to: path)
            return kept
        }
        return entries
    }

    /// Appends one entry, creating the folder on first use. Failures are silent: history is
    /// a convenience and must never stop the REPL.
    public func append(_ entry: String) {
        HistoryFile.makeFolders(for: path)
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array((HistoryFile.encode(entry) + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }

    static func encode(_ entry: String) -> String {
        var out = ""
        for ch in entry.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func decode(_ line: String) -> String {
        var out = ""
        var escaped = false
        for ch in line.unicodeScalars {
            if escaped {
                switch ch {
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.unicodeScalars.append(ch)
                }
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    private static func makeFolders(for path: String) {
        var folder = ""
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        for (k, part) in parts.enumerated() {
            folder += (k == 0 ? "" : "/") + part
            if !folder.isEmpty { mkdir(folder, 0o700) }
        }
    }
}
