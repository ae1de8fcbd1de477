/// A problem found in a script, rendered as
/// ```
/// error: no column `qeury` in table
///  --> study.align:4:15
///   |
/// 4 | print(rows.qeury)
///   |            ^^^^^ not a column
///   = help: did you mean `query`?
/// ```
/// Messages are lower-case with no final period; names are in backticks.
public struct Diagnostic: Error, Sendable {
    public enum Severity: String, Sendable { case error, warning, note }

    public var severity: Severity
    public var message: String
    public var span: SourceSpan?
    /// Short text printed under the caret.
    public var label: String?
    /// A suggestion printed as `= help: …`.
    public var help: String?
    /// Extra lines such as the call stack of a runtime error (`= note: …`).
    public var notes: [String]

    public init(_ severity: Severity = .error, _ message: String, at span: SourceSpan?,
                label: String? = nil, help: String? = nil, notes: [String] = []) {
        self.severity = severity
        self.message = message
        self.span = span
        self.label = label
        self.help = help
        self.notes = notes
    }

    public static func error(_ message: String, at span: SourceSpan?, label: String? = nil,
                             help: String? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: span, label: label, help: help)
    }
}
