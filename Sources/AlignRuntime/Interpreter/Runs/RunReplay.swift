import AlignSyntax
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `align run --replay RUNDIR`: what to re-execute (the script text and params stored in the
/// manifest, not the file as it is now) and the byte comparison of the replayed `rows.jsonl`
/// with the original.
public struct RunReplay {
    public let runFolder: String
    public let runName: String
    /// The script as recorded; its path is the original one, so relative reads and imports
    /// resolve as they did.
    public let script: SourceFile
    public let params: [String: Value]
    /// Recorded modules whose file now differs (the replay imports the current file).
    public let changedModules: [String]

    /// Reads `folder/manifest.json`; the error says what is missing.
    public init(folder: String) throws(ReplayError) {
        let path = SourceFiles.join(folder, "manifest.json")
        guard let text = try? SourceFiles.read(path) else { throw ReplayError("cannot read `\(path)`: is `\(folder)` a run folder?") }
        guard case .record(let m)? = try? JSON.parse(text, path: path) else { throw ReplayError("`\(path)` is not a JSON object") }
        guard case .string(let name)? = m["run"] else { throw ReplayError("`\(path)` names no run") }
        guard case .record(let s)? = m["script"], case .string(let scriptPath)? = s["path"], case .string(let scriptText)? = s["text"] else {
            throw ReplayError("`\(path)` holds no script text (runs started in the REPL cannot be replayed)")
        }
        var params: [String: Value] = [:]
        if case .record(let p)? = m["params"] { for (k, v) in p.pairs { params[k] = v } }
        var changed: [String] = []
        if case .list(let modules)? = m["modules"] {
            for case .record(let mod) in modules {
                guard case .string(let modulePath)? = mod["path"], case .string(let sha)? = mod["sha256"] else { continue }
                let now = (try? SourceFiles.read(modulePath)).map { SHA256.hex($0) }
                if now != sha { changed.append(modulePath) }
            }
        }
        runFolder = folder
        runName = name
        script = SourceFile(path: scriptPath, text: scriptText)
        self.params = params
        changedModules = changed
    }

    /// A new empty folder under the system's temporary folder for the replayed runs.
    public static func temporaryFolder() throws(ReplayError) -> String {
        let base = SourceFiles.environment("TMPDIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array(SourceFiles.join(base, "align-replay-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkdtemp($0) != nil } ?? false }
        guard made else {
            throw ReplayError("cannot create a temporary folder in `\(base)`: \(String(cString: strerror(errno)))")
        }
        // mkdtemp filled in the X's in place.
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Deletes a replay's temporary folder and everything in it (no symlinks are followed).
    public static func removeFolder(_ path: String) {
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name == "." || name == ".." { continue }
                let child = SourceFiles.join(path, name)
                var info = stat()
                if lstat(child, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { removeFolder(child) } else { unlink(child) }
            }
            closedir(dir)
        }
        rmdir(path)
    }

    /// The first line where the replayed rows differ from the original (1-based, with both
    /// lines; a missing line is nil), or nil when the files are byte-identical.
    public func firstDifference(replayedRuns: String) throws(ReplayError) -> (line: Int, original: String?, replayed: String?)? {
        let originalPath = SourceFiles.join(runFolder, "rows.jsonl")
        let replayedPath = SourceFiles.join(SourceFiles.join(replayedRuns, runName), "rows.jsonl")
        guard let a = try? DataFile.readBytes(originalPath) else { throw ReplayError("cannot read `\(originalPath)`") }
        guard let b = try? DataFile.readBytes(replayedPath) else {
            throw ReplayError("the replay wrote no `\(replayedPath)`: the script no longer runs `\(runName)`")
        }
        if a == b { return nil }
        let la = a.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        let lb = b.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var i = 0
        while i < la.count, i < lb.count, la[i] == lb[i] { i += 1 }
        return (i + 1, i < la.count ? la[i] : nil, i < lb.count ? lb[i] : nil)
    }

    /// Number of rows in the original `rows.jsonl`.
    public var originalRowCount: Int {
        let bytes = (try? DataFile.readBytes(SourceFiles.join(runFolder, "rows.jsonl"))) ?? []
        return bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
}

public struct ReplayError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
