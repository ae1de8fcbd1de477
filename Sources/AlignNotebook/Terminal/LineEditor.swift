/// What asking for a line gave.
public enum LineInput: Equatable, Sendable {
    case line(String)
    /// Ctrl-C at the prompt: drop what was typed (and the unfinished cell).
    case interrupted
    /// Ctrl-D on an empty line, or the end of piped input.
    case endOfInput
}

/// Reads the REPL's input a line at a time. The readline editor serves terminals (editing,
/// history, Tab completion); the plain one serves pipes and files, so `echo '1+2' | align`
/// works and tests can drive the REPL without a terminal.
public protocol LineEditor: AnyObject {
    /// Whether prompts and `Out[n]:` labels are shown (false when input is piped).
    var isInteractive: Bool { get }
    func readLine(prompt: String) -> LineInput
    /// Records a finished cell (all its lines as one entry).
    func addHistory(_ entry: String)
    /// Offers candidates on Tab: gets the current line up to the cursor; `start` in the answer
    /// is a UTF-8 offset into that line.
    var completion: ((String) -> Completion)? { get set }
}

/// Reads standard input without line editing.
public final class PlainLineEditor: LineEditor {
    public var isInteractive: Bool { false }
    public var completion: ((String) -> Completion)?
    public private(set) var history: [String] = []

    public init() {}

    public func readLine(prompt: String) -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
        return .line(line)
    }

    public func addHistory(_ entry: String) {
        history.append(entry)
    }
}
