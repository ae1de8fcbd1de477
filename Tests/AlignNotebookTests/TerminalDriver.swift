import Foundation

/// Drives a program in a tmux pane (a real pseudo-terminal): keys in with `send-keys`, the
/// screen out with `capture-pane`. Each driver runs its own tmux server (`-L`), so tests never
/// touch the user's tmux sessions, and `stop()` ends only that server.
final class TerminalDriver {
    let socket: String
    /// The session keys go to and screens come from; a later `start` may use another name.
    var session = "repl"

    enum Failure: Error, CustomStringConvertible {
        case tmux(String)
        case timeout(String, screen: String)
        var description: String {
            switch self {
            case .tmux(let message): "tmux: \(message)"
            case .timeout(let wanted, let screen): "timed out waiting for \(wanted.debugDescription); screen:\n\(screen)"
            }
        }
    }

    init() {
        socket = "align-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    static var tmuxPath: String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        guard let path = TerminalDriver.tmuxPath else { throw Failure.tmux("tmux is not installed (apt-get install tmux)") }
        let (status, output) = try TerminalDriver.spawn(path, ["tmux", "-L", socket] + arguments)
        guard status == 0 else { throw Failure.tmux("\(arguments.joined(separator: " ")): \(output)") }
        return output
    }

    /// Runs a program and waits for it, its output collected through a file. Foundation's
    /// `Process` is not used: it learns that a child exited when a descriptor the child holds
    /// closes, and the tmux server forked by `new-session` keeps that descriptor open.
    static func spawn(_ path: String, _ argv: [String]) throws -> (Int32, String) {
        let capture = "/tmp/align-tmux-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out"
        defer { unlink(capture) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, capture, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        // The test runner's threads block signals; the REPL under test must get Ctrl-C as a
        // terminal would deliver it, so the child starts with no signal blocked or ignored.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid = pid_t()
        let rc = posix_spawn(&pid, path, &actions, &attributes, &cArgs, environ)
        guard rc == 0 else { throw Failure.tmux("cannot start \(path): error \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }

    /// Starts `command` (a shell command line) in a fresh pane of the given size.
    func start(_ command: String, directory: String, width: Int = 120, height: Int = 45) throws {
        try tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", "-c", directory, command])
    }

    /// Keys as tmux names them (`Enter`, `Tab`, `Up`, `C-c`, `C-d`) or literal text with `literal`.
    func send(_ keys: String..., literal: Bool = false) throws {
        try tmux(["send-keys", "-t", session] + (literal ? ["-l"] : []) + keys)
    }

    func type(_ text: String) throws {
        try send(text, literal: true)
    }

    func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", session, "-S", "-200"])
    }

    /// Waits until the screen satisfies `condition`; returns the screen.
    @discardableResult
    func wait(for description: String, timeout: Double = 15, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            usleep(20_000)
        }
        throw Failure.timeout(description, screen: last)
    }

    @discardableResult
    func wait(for text: String, timeout: Double = 15) throws -> String {
        try wait(for: text, timeout: timeout) { $0.contains(text) }
    }

    func stop() {
        _ = try? tmux(["kill-server"])
    }
}
