import AlignRuntime
import AlignSyntax
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Facts about the terminal the REPL runs in.
enum TerminalInfo {
    /// Columns of the terminal on stdout, else `$COLUMNS`, else 100.
    static func width() -> Int {
        var size = winsize()
        if isatty(STDOUT_FILENO) != 0, withUnsafeMutablePointer(to: &size, { ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), $0) }) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        if let columns = SourceFiles.environment("COLUMNS").flatMap({ Int($0) }), columns > 0 { return columns }
        return 100
    }

    static var environment: [String: String] {
        var env: [String: String] = [:]
        for name in ["NO_COLOR", "TERM", "XDG_STATE_HOME", "HOME"] { env[name] = SourceFiles.environment(name) }
        return env
    }

    /// Colour on a terminal whose `TERM` is not `dumb`, unless `NO_COLOR` is set (STYLE 16).
    static func usesColor(_ fd: Int32) -> Bool {
        DiagnosticRenderer.shouldUseColor(isTTY: isatty(fd) != 0, environment: environment)
    }
}
