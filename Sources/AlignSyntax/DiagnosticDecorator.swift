/// The parts of a rendered diagnostic that a decorator may style.
public enum DiagnosticRole: Sendable, Equatable {
    /// `error`, `warning`, `note` at the start of the header.
    case severity(Diagnostic.Severity)
    /// `: message` after the severity.
    case message
    /// `-->`, `|`, `=` and line numbers.
    case gutter
    /// The carets and the label after them.
    case caret(Diagnostic.Severity)
    /// `help` / `note` in the footer lines.
    case footerTitle
}

/// Styles pieces of a rendered diagnostic; the renderer decides the layout alone, so the
/// plain render that tests snapshot is exactly what a coloured render shows without codes.
public protocol DiagnosticDecorator: Sendable {
    func decorate(_ text: String, as role: DiagnosticRole) -> String
}

/// No styling.
public struct PlainDecorator: DiagnosticDecorator {
    public init() {}
    public func decorate(_ text: String, as role: DiagnosticRole) -> String { text }
}

/// rustc's terminal colours: bold red errors, bold yellow warnings, bold blue gutter.
public struct ANSIColorDecorator: DiagnosticDecorator {
    public init() {}

    public func decorate(_ text: String, as role: DiagnosticRole) -> String {
        let code: String
        switch role {
        case .severity(let severity), .caret(let severity): code = Self.code(for: severity)
        case .message, .footerTitle: code = "1"
        case .gutter: code = "1;34"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    static func code(for severity: Diagnostic.Severity) -> String {
        switch severity {
        case .error: return "1;31"
        case .warning: return "1;33"
        case .note: return "1;32"
        }
    }
}
