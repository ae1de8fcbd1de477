import AlignSyntax
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The files of one run: `runs/<name>/manifest.json`, `rows.jsonl` (one output row per line,
/// appended and flushed as each row finishes, so a killed run loses at most the row in
/// progress) and `summary.json` when done. A `.lock` file held with `flock` keeps two processes
/// out of one folder; the kernel releases it when a process dies, even by SIGKILL.
final class RunFolder {
    let path: String
    let name: String
    /// Rows found from earlier runs, by input hash: the output and its exact line.
    private(set) var previous: [String: (output: Record, line: String)] = [:]
    /// Input hashes of the lines now in `rows.jsonl`, in file order.
    private var fileOrder: [String] = []
    private var lines: [String: String] = [:]
    private var rowsFile: UnsafeMutablePointer<FILE>?
    private var lockDescriptor: Int32 = -1

    static let rowsName = "rows.jsonl"
    static let manifestName = "manifest.json"

    var rowsPath: String { SourceFiles.join(path, RunFolder.rowsName) }

    init(directory: String, name: String, at span: SourceSpan) throws {
        guard RunFolder.isSafeName(name) else {
            throw Diagnostic.error("run name `\(name)` cannot be used as a folder name", at: span,
                                   help: "use letters, digits, `-`, `_` and `.`")
        }
        self.name = name
        path = SourceFiles.join(directory, name)
        try RunFolder.makeDirectories(path, at: span)
        try lock(at: span)
    }

    deinit { close() }

    func close() {
        if let f = rowsFile { fclose(f) }
        rowsFile = nil
        if lockDescriptor >= 0 { Glibc.close(lockDescriptor) }
        lockDescriptor = -1
    }

    private func lock(at span: SourceSpan) throws {
        let fd = open(SourceFiles.join(path, ".lock"), O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Diagnostic.error("cannot lock run folder `\(path)`: \(String(cString: strerror(errno)))", at: span)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(fd)
            throw Diagnostic.error("run folder `\(path)` is in use by another align process", at: span,
                                   help: "wait for that run to finish, or give this run another name")
        }
        lockDescriptor = fd
    }

    /// The manifest an earlier run left here: nil when there is none; an error when it cannot be read.
    func previousManifest(at span: SourceSpan) throws -> Record? {
        let file = SourceFiles.join(path, RunFolder.manifestName)
        guard SourceFiles.isRegularFile(file) else { return nil }
        guard let text = try? SourceFiles.read(file), case .record(let r)? = try? JSON.parse(text) else {
            throw Diagnostic.error("the manifest of run `\(name)` (`\(file)`) cannot be read, so it is unknown what made its rows", at: span,
                                   help: "run with --fresh to start over, or --resume to reuse its rows anyway")
        }
        return r
    }

    /// Renames this folder to `<name>.old-<UTC time>` and starts an empty one in its place.
    func moveAside(at span: SourceSpan) throws -> String {
        let stamp = RunClock.timestamp().filter { $0 != ":" && $0 != "-" }
        var target = "\(path).old-\(stamp)"
        var n = 2
        while access(target, F_OK) == 0 {
            target = "\(path).old-\(stamp)-\(n)"
            n += 1
        }
        guard rename(path, target) == 0 else {
            throw Diagnostic.error("cannot move `\(path)` aside: \(String(cString: strerror(errno)))", at: span)
        }
        close()
        try RunFolder.makeDirectories(path, at: span)
        try lock(at: span)
        return target
    }

    /// Reads the rows of earlier runs and opens `rows.jsonl` for appending. A last line cut short
    /// by a crash (no final newline) is cut off the file; any other unreadable line is skipped
    /// and its row computed again.
    func openRows(at span: SourceSpan) throws {
        var bytes = (try? DataFile.readBytes(rowsPath)) ?? []
        if let lastNewline = bytes.lastIndex(of: 0x0A), lastNewline + 1 < bytes.count {
            bytes.removeSubrange((lastNewline + 1)...)
            guard truncate(rowsPath, off_t(bytes.count)) == 0 else {
                throw Diagnostic.error("cannot drop the torn last line of `\(rowsPath)`: \(String(cString: strerror(errno)))", at: span)
            }
        } else if !bytes.isEmpty, bytes.last != 0x0A {
            bytes = []
            guard truncate(rowsPath, 0) == 0 else {
                throw Diagnostic.error("cannot drop the torn line of `\(rowsPath)`: \(String(cString: strerror(errno)))", at: span)
            }
        }
        for raw in bytes.split(separator: 0x0A) {
            let line = String(decoding: raw, as: UTF8.self)
            guard let v = try? JSON.parse(line), case .record(let r) = v,
                  case .string(let hash)? = r["input_hash"], case .record(let output)? = r["output"] else {
                fileOrder.append("")
                continue
            }
            previous[hash] = (output, line)
            lines[hash] = line
            fileOrder.append(hash)
        }
        guard let f = fopen(rowsPath, "a") else {
            throw Diagnostic.error("cannot write run rows in `\(path)`: \(String(cString: strerror(errno)))", at: span)
        }
        rowsFile = f
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
            throw Diagnostic.error("cannot append to `\(rowsPath)`", at: span)
        }
        lines[inputHash] = line
        fileOrder.append(inputHash)
    }

    /// Leaves `rows.jsonl` holding exactly the rows of `order` (this run's input hashes, first
    /// occurrences in input order), rewriting it atomically only when it holds anything else:
    /// rows of an earlier input, unreadable lines, or rows in another order.
    /// Returns the number of rows in the file.
    @discardableResult
    func finishRows(order: [String], at span: SourceSpan) throws -> Int {
        if let f = rowsFile { fclose(f) }
        rowsFile = nil
        guard fileOrder != order else { return order.count }
        var text = ""
        for hash in order {
            guard let line = lines[hash] else { continue }
            text += line
            text += "\n"
        }
        do {
            try DataFile.writeAtomically(Array(text.utf8), to: rowsPath)
        } catch {
            throw Diagnostic.error("cannot rewrite `\(rowsPath)`: \(error)", at: span)
        }
        fileOrder = order
        return order.count
    }

    func writeJSON(_ value: Value, named name: String, at span: SourceSpan) throws {
        let text = try JSON.encode(value, indent: 2) + "\n"
        do {
            try DataFile.writeAtomically(Array(text.utf8), to: SourceFiles.join(path, name))
        } catch {
            throw Diagnostic.error("cannot write `\(SourceFiles.join(path, name))`: \(error)", at: span)
        }
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
