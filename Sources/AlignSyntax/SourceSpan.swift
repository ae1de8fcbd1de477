/// A half-open range of UTF-8 byte offsets `[start, end)` in one source file.
public struct SourceSpan: Sendable, CustomStringConvertible {
    public let file: SourceFile
    public let start: Int
    public let end: Int

    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest span covering both (they must be in the same file).
    public func to(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    public var text: String {
        let s = max(0, min(start, file.bytes.count)), e = max(s, min(end, file.bytes.count))
        return String(decoding: file.bytes[s..<e], as: UTF8.self)
    }

    /// `path:line:column` of the start.
    public var description: String {
        let (l, c) = file.location(of: start)
        return "\(file.path):\(l):\(c)"
    }
}
