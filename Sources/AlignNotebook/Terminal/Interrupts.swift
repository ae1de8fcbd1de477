import AlignRuntime
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C handling. The SIGINT handler only touches atomics: it asks the running cell's
/// interpreter to stop at its next checkpoint (a loop iteration, a call, a generated token) and
/// counts presses, which the prompt reads to clear the line. Three presses while one cell runs
/// (code stuck where no checkpoint is reached) end the process.
enum Interrupts {
    static let presses = Atomic<Int>(0)
    static let cellRunning = Atomic<Bool>(false)
    /// The interruption flag of the interpreter running the current cell.
    nonisolated(unsafe) static var target: Interruption?

    /// Installs the handler, and unblocks SIGINT, which a parent process may have left blocked
    /// (threads created later, such as the evaluator's, inherit the mask).
    static func install() {
        signal(SIGINT, handler)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Before a cell runs: aim at this interpreter. A press since the cell was entered (the
    /// prompt had returned its line) stops the cell at its first checkpoint.
    static func beginCell(_ interruption: Interruption) {
        target = interruption
        cellRunning.store(true, ordering: .sequentiallyConsistent)
        if presses.load(ordering: .sequentiallyConsistent) > 0 { interruption.request() }
    }

    /// After a cell: whether Ctrl-C was pressed while it ran.
    @discardableResult
    static func endCell() -> Bool {
        cellRunning.store(false, ordering: .sequentiallyConsistent)
        // A press that landed after the cell finished must not stop the next one.
        target?.clear()
        return presses.exchange(0, ordering: .sequentiallyConsistent) > 0
    }

    /// Whether Ctrl-C was pressed since the last call (at the prompt).
    static func takePending() -> Bool {
        presses.exchange(0, ordering: .sequentiallyConsistent) > 0
    }

    private static let handler: @convention(c) (Int32) -> Void = { _ in
        let count = Interrupts.presses.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
        guard Interrupts.cellRunning.load(ordering: .sequentiallyConsistent) else { return }
        Interrupts.target?.request()
        if count >= 3 {
            let message = "\nalign: interrupted three times; exiting\n"
            _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
            _exit(130)
        }
    }
}
