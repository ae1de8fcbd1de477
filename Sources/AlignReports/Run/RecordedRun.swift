import AlignRuntime
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A finished (or interrupted) run folder as written by `run NAME over … { … }`:
/// `manifest.json`, `rows.jsonl` and `summary.json`. Every part is optional on disk — an
/// interrupted run has no summary, an older one fewer manifest fields — so each is read
/// defensively and what is missing is listed in `notes` instead of failing the report.
public struct RecordedRun: Sendable {
    /// One line of `rows.jsonl`: the hash of the row's input and the body's output record.
    public struct Row: Sendable {
        public let inputHash: String?
        public let output: Record

        public init(inputHash: String?, output: Record) {
            self.inputHash = inputHash
            self.output = output
        }
    }

    public let folder: String
    public let manifest: Record?
    public let summary: Record?
    /// Rows in file order; a hash seen twice keeps its last output at its first place, the way
    /// the interpreter's resume reads them.
    public let rows: [Row]
    /// What was missing or skipped, in words, for the report to show.
    public let notes: [String]

    public static let manifestName = "manifest.json"
    public static let rowsName = "rows.jsonl"
    public static let summaryName = "summary.json"

    public init(folder: String, manifest: Record?, summary: Record?, rows: [Row], notes: [String] = []) {
        self.folder = folder
        self.manifest = manifest
        self.summary = summary
        self.rows = rows
        self.notes = notes
    }

    /// Reads the run folder at `folder`.
    public init(folder: String) throws {
        var info = stat()
        guard stat(folder, &info) == 0 else {
            throw ReportError.notARunFolder(path: folder, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw ReportError.notARunFolder(path: folder, reason: "it is a file; give the run's folder, such as `runs/NAME`")
        }
        let present = [Self.manifestName, Self.rowsName, Self.summaryName].filter {
            SourceFiles.isRegularFile(SourceFiles.join(folder, $0))
        }
        guard !present.isEmpty else {
            throw ReportError.notARunFolder(path: folder, reason: "it has none of manifest.json, rows.jsonl, summary.json")
        }
        var notes: [String] = []
        let manifest = try Self.readRecord(folder, Self.manifestName, notes: &notes)
        let summary = try Self.readRecord(folder, Self.summaryName, notes: &notes)
        let rows = try Self.readRows(folder, notes: &notes)
        self.init(folder: folder, manifest: manifest, summary: summary, rows: rows, notes: notes)
    }

    /// The folder a command-line argument names: the path itself, or `runs/<name>` when only
    /// that exists (so `align report study` finds `runs/study`).
    public static func folder(named argument: String) -> String {
        var info = stat()
        let beside = SourceFiles.join("runs", argument)
        if stat(argument, &info) != 0 && !argument.contains("/") && stat(beside, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            return beside
        }
        return argument
    }

    /// The run's name: the manifest's `run`, else the folder's last component.
    public var name: String {
        if case .string(let s)? = manifest?["run"], !s.isEmpty { return s }
        let trimmed = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        return trimmed.split(separator: "/").last.map(String.init) ?? trimmed
    }

    /// The output rows as a table (columns in first-seen order; missing fields are null).
    public var table: Table { Table(rows: rows.map(\.output)) }

    private static func readRecord(_ folder: String, _ name: String, notes: inout [String]) throws -> Record? {
        let path = SourceFiles.join(folder, name)
        guard SourceFiles.isRegularFile(path) else {
            notes.append("no \(name)" + (name == summaryName ? " (the run did not finish)" : ""))
            return nil
        }
        let value: Value
        do {
            value = try JSON.parse(try DataFile.readBytes(path), path: path)
        } catch let e as DataIOError {
            throw ReportError.unreadableFile(path: path, reason: e.message + (e.line.map { " (line \($0))" } ?? ""))
        }
        guard case .record(let r) = value else {
            throw ReportError.unreadableFile(path: path, reason: "expected a JSON object, found \(value.typeName)")
        }
        return r
    }

    /// Lines cut short by a crash (or otherwise unreadable) are skipped and counted, as the
    /// interpreter's resume does.
    private static func readRows(_ folder: String, notes: inout [String]) throws -> [Row] {
        let path = SourceFiles.join(folder, rowsName)
        guard SourceFiles.isRegularFile(path) else {
            notes.append("no \(rowsName)")
            return []
        }
        let bytes: [UInt8]
        do { bytes = try DataFile.readBytes(path) } catch let e as DataIOError {
            throw ReportError.unreadableFile(path: path, reason: e.message)
        }
        var rows: [Row] = []
        var position: [String: Int] = [:]
        var skipped: [Int] = []
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            guard line.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
            guard let value = try? JSON.parse(Array(line), path: path, firstLine: lineNumber),
                  case .record(let r) = value else {
                skipped.append(lineNumber)
                continue
            }
            let hash: String? = if case .string(let h)? = r["input_hash"] { h } else { nil }
            // A line without the `{input_hash, output}` envelope (rows.jsonl written by another
            // tool) is taken as the output row itself.
            let output: Record
            if case .record(let o)? = r["output"] { output = o } else if r["input_hash"] == nil { output = r } else {
                skipped.append(lineNumber)
                continue
            }
            if let hash, let at = position[hash] {
                rows[at] = Row(inputHash: hash, output: output)
            } else {
                if let hash { position[hash] = rows.count }
                rows.append(Row(inputHash: hash, output: output))
            }
        }
        if !skipped.isEmpty {
            let shown = skipped.prefix(5).map(String.init).joined(separator: ", ")
            notes.append("\(skipped.count) unreadable line\(skipped.count == 1 ? "" : "s") of \(rowsName) skipped (line \(shown)\(skipped.count > 5 ? ", …" : ""))")
        }
        return rows
    }
}
