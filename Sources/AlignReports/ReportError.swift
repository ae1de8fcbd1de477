/// Why a report or diff could not be made, naming the file at fault.
public enum ReportError: Error, Sendable, CustomStringConvertible {
    /// The path is not a run folder (no `manifest.json`, `rows.jsonl` or `summary.json`).
    case notARunFolder(path: String, reason: String)
    /// A run file exists but cannot be read or parsed.
    case unreadableFile(path: String, reason: String)
    /// The report could not be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .notARunFolder(let path, let reason): "`\(path)` is not a run folder: \(reason)"
        case .unreadableFile(let path, let reason): "cannot read `\(path)`: \(reason)"
        case .cannotWrite(let path, let reason): "cannot write `\(path)`: \(reason)"
        }
    }
}
