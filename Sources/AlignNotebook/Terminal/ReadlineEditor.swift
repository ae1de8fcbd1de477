@preconcurrency internal import CReadline
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Line editing through GNU readline's callback interface: the REPL waits in `poll`, so a
/// Ctrl-C at the prompt (which interrupts `poll`) can clear the line and return to a fresh
/// prompt, the way Python's own readline module does it. Readline's signal handling is turned
/// off; `Interrupts` owns SIGINT.
public final class ReadlineEditor: LineEditor {
    public var isInteractive: Bool { true }
    public var completion: ((String) -> Completion)? {
        get { ReadlineState.completion }
        set { ReadlineState.completion = newValue }
    }
    private let history: HistoryFile?
    private var lastEntry: String?

    public init(history: HistoryFile?) {
        self.history = history
        rl_readline_name = UnsafePointer(strdup("align"))
        rl_catch_signals = 0
        rl_attempted_completion_function = ReadlineState.attemptCompletion
        // Completion works on the whole text before the cursor, so readline's word breaks only
        // decide which part of the line a candidate replaces.
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n\"'`@$><=;|&{(,[+-*/%:."))
        using_history()
        if let history {
            stifle_history(Int32(history.capacity))
            let entries = history.load()
            for entry in entries { add_history(entry) }
            lastEntry = entries.last
        }
    }

    public func readLine(prompt: String) -> LineInput {
        ReadlineState.received = nil
        _ = Interrupts.takePending()
        rl_callback_handler_install(prompt, ReadlineState.lineHandler)
        while ReadlineState.received == nil {
            // A press that lands while readline handles a key (not in `poll`) interrupts nothing,
            // so the flag is also checked on a short timeout.
            if Interrupts.takePending() {
                cancelLine()
                return .interrupted
            }
            var request = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&request, 1, 50)
            if ready < 0 && errno != EINTR {
                ReadlineState.received = .endOfInput
                break
            }
            if ready > 0 { rl_callback_read_char() }
        }
        rl_callback_handler_remove()
        return ReadlineState.received ?? .endOfInput
    }

    /// Leaves the typed text on screen followed by `^C`, as shells do, and resets readline.
    private func cancelLine() {
        rl_point = rl_end
        rl_redisplay()
        fputs("^C\n", stdout)
        fflush(stdout)
        rl_free_line_state()
        rl_callback_sigcleanup()
        rl_cleanup_after_signal()
        rl_callback_handler_remove()
    }

    public func addHistory(_ entry: String) {
        guard entry != lastEntry else { return }
        lastEntry = entry
        add_history(entry)
        history?.append(entry)
    }
}

/// State reached from readline's C callbacks, which cannot capture context. Readline is
/// single-threaded and only ever runs on the REPL's thread.
enum ReadlineState {
    nonisolated(unsafe) static var received: LineInput?
    nonisolated(unsafe) static var completion: ((String) -> Completion)?

    static let lineHandler: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { line in
        if let line {
            ReadlineState.received = .line(String(cString: line))
            free(line)
        } else {
            ReadlineState.received = .endOfInput
        }
        rl_callback_handler_remove()
    }

    /// Turns the completer's answer (candidates replacing the text from its own start) into
    /// readline's (candidates replacing from readline's word start `start`).
    static let attemptCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { _, start, end in
        rl_attempted_completion_over = 1
        rl_completion_append_character = 0
        guard let complete = ReadlineState.completion, let buffer = rl_line_buffer, start >= 0, end >= start else { return nil }
        let line = Array(UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: Int(end)))
        let result = complete(String(decoding: line, as: UTF8.self))
        let ownStart = result.start
        guard ownStart >= 0, ownStart <= line.count else { return nil }
        let candidates = result.candidates.compactMap { candidate -> String? in
            CompletionSplice.relative(candidate, ownStart: ownStart, readlineStart: Int(start), line: line)
        }
        return CompletionSplice.matchArray(candidates)
    }
}
