import Synchronization

/// How `run` blocks of this process treat an existing run folder, and where their one-line
/// summaries go. Process-wide because it comes from the command line (`align run --resume`,
/// `--fresh`); the defaults suit the REPL and embedding code.
public struct RunSettings: Sendable {
    public enum Resume: Sendable, Equatable {
        /// Continue a folder made by the same script, params and models; refuse otherwise.
        case ifUnchanged
        /// Continue whatever changed (`--resume`): rows whose input row and body are unchanged
        /// are reused.
        case always
        /// Start over (`--fresh`): an existing folder is renamed to `<name>.old-<time>` the
        /// first time the run starts in this process.
        case fresh
    }

    public var resume: Resume = .ifUnchanged
    /// Receives `run NAME: 100 rows (…) in 1.2s …` when a run ends; nil prints nothing.
    public var summary: (@Sendable (String) -> Void)?
    /// The align build's git commit, recorded in manifests (see `BuildCommit`).
    public var commit: BuildCommit?

    public init() {}

    private static let state = Mutex((settings: RunSettings(), freshened: Set<String>()))

    /// The settings runs started from now on use.
    public static var current: RunSettings {
        get { state.withLock { $0.settings } }
        set { state.withLock { $0.settings = newValue } }
    }

    /// True the first time `folder` asks in this process: `--fresh` moves a folder aside once,
    /// so two runs of one name in a script do not discard each other.
    static func claimFresh(_ folder: String) -> Bool {
        state.withLock { $0.freshened.insert(folder).inserted }
    }
}
