import AlignSyntax
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The files of one run: `runs/<name>/manifest.json`, `rows.jsonl` (one output row per line,
/// appended and flushed as each row finishes, so a killed run loses at most the row in
/// progress) and `summary.json` when done. Rows already in `rows.jsonl` whose input hash
/// matches are reused on the next run instead of being computed again.
final class RunFolder {
    let path: String
    /// Output rows found from earlier runs, by input hash.
    private(set) var previous: [String: Record] = [:]
    private var rowsFile: UnsafeMutablePointer<FILE>?

    static let rowsName = "rows.jsonl"

    init(directory: String, name: String, at span: SourceSpan) throws {
        guard RunFolder.isSafeName(name) else {
            throw Diagnostic.error("run name `\(name)` cannot be used as a folder name", at: span,
                                   help: "use letters, digits, `-`, `_` and `.`")
        }
        path = SourceFiles.join(directory, name)
        try RunFolder.makeDirectories(path, at: span)
        previous = RunFolder.readRows(SourceFiles.join(path, RunFolder.rowsName))
        guard let f = fopen(SourceFiles.join(path, RunFolder.rowsName), "a") else {
            throw Diagnostic.error("cannot write run rows in `\(path)`: \(String(cString: strerror(errno)))", at: span)
        }
        rowsFile = f
        // A line cut short by a crash must not swallow the next row appended after it.
        if let text = try? SourceFiles.read(SourceFiles.join(path, RunFolder.rowsName)), !text.isEmpty, !text.hasSuffix("\n") {
            fputs("\n", f)
        }
    }

    deinit { close() }

    func close() {
        if let f = rowsFile { fclose(f) }
        rowsFile = nil
    }

    /// Appends one finished row and flushes it to the kernel.
    func append(inputHash: String, output: Record, at span: SourceSpan) throws {
        let line: String
        do {
            line = try JSON.encode(.record(Record([("input_hash", .string(inputHash)), ("output", .record(output))])))
        } catch let e as JSONEncodingError {
            throw Diagnostic.error("run output row cannot be saved: \(e.message)", at: span)
        }
        guard let f = rowsFile, fputs(line + "\n", f) >= 0, fflush(f) == 0 else {
            throw Diagnostic.error("cannot append to `\(SourceFiles.join(path, RunFolder.rowsName))`", at: span)
        }
    }

    func writeJSON(_ value: Value, named name: String, at span: SourceSpan) throws {
        let text = try JSON.encode(value, indent: 2) + "\n"
        do {
            try DataFile.writeAtomically(Array(text.utf8), to: SourceFiles.join(path, name))
        } catch {
            throw Diagnostic.error("cannot write `\(SourceFiles.join(path, name))`: \(error)", at: span)
        }
    }

    /// Rows of earlier runs; a line cut short by a crash (or otherwise unreadable) is skipped
    /// and its row computed again.
    static func readRows(_ file: String) -> [String: Record] {
        guard let text = try? SourceFiles.read(file) else { return [:] }
        var rows: [String: Record] = [:]
        for line in text.split(separator: "\n") {
            guard let v = try? JSON.parse(String(line)), case .record(let r) = v,
                  case .string(let hash)? = r["input_hash"], case .record(let output)? = r["output"] else { continue }
            rows[hash] = output
        }
        return rows
    }

    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && name.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_. ".unicodeScalars.contains($0))
        }
    }

    static func makeDirectories(_ path: String, at span: SourceSpan) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw Diagnostic.error("cannot create folder `\(prefix)`: \(String(cString: strerror(errno)))", at: span)
            }
            prefix += "/"
        }
    }
}
