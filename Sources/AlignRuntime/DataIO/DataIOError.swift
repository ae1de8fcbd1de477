/// A problem reading or writing a data file, with the place it was found. Built-ins turn it into
/// a `Diagnostic` pointing at the path argument; the message already names the file.
public struct DataIOError: Error, Sendable, CustomStringConvertible {
    /// File path as the user gave it (or resolved), or `<string>` for in-memory text.
    public let path: String
    /// 1-based line, when the problem is inside the file.
    public let line: Int?
    /// 1-based column (in Unicode scalars), when known.
    public let column: Int?
    public let message: String

    public init(path: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    /// `data.csv:12: unterminated quoted field` / `rows.json:3:7: expected ','`.
    public var description: String {
        var place = path
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): \(message)"
    }
}
