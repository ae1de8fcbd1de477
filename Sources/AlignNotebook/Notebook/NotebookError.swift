/// Problems with notebook and script files, each naming the file and the place.
public enum NotebookError: Error, CustomStringConvertible, Sendable {
    /// The file is not a notebook align can read; `place` is a JSON path such as `cells[3].source`.
    case malformed(path: String, place: String, message: String)
    case unreadable(path: String, message: String)
    case unsupportedFormat(path: String, message: String)

    public var description: String {
        switch self {
        case .malformed(let path, let place, let message): "\(path): \(place): \(message)"
        case .unreadable(let path, let message): "\(path): \(message)"
        case .unsupportedFormat(let path, let message): "\(path): \(message)"
        }
    }
}
