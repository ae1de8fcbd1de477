import AlignRuntime
import ArgumentParser
import AlignSyntax
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Exit statuses (sysexits.h, plus 1 for failed assertions).
enum Sysexits {
    static let assertionFailed: Int32 = 1
    /// Bad command line, including a script path that does not exist.
    static let usage: Int32 = 64
    /// The script or its data is wrong.
    static let dataError: Int32 = 65
    static let software: Int32 = 70
}

/// Program output to stdout; diagnostics to stderr, coloured only on a terminal.
struct Terminal {
    let renderer: DiagnosticRenderer

    init() {
        var environment: [String: String] = [:]
        for name in ["NO_COLOR", "TERM"] { environment[name] = SourceFiles.environment(name) }
        let color = DiagnosticRenderer.shouldUseColor(isTTY: isatty(STDERR_FILENO) != 0, environment: environment)
        renderer = color ? .colored : .plain
    }

    /// Whether stderr is a terminal (progress lines are drawn only then).
    var isInteractive: Bool { isatty(STDERR_FILENO) != 0 }

    /// Redraws the progress line in place; an empty line clears it.
    func progress(_ line: String) {
        fputs("\r\u{1B}[2K" + line, stderr)
        fflush(stderr)
    }

    func write(_ text: String) {
        fputs(text, stdout)
    }

    func flush() {
        fflush(stdout)
    }

    func report(_ diagnostics: [Diagnostic]) {
        fflush(stdout)
        fputs(renderer.render(diagnostics) + "\n", stderr)
    }

    func error(_ message: String) {
        fflush(stdout)
        fputs(renderer.render(Diagnostic.error(message, at: nil)) + "\n", stderr)
    }
}

/// Reading the script named on the command line.
enum ScriptLoading {
    static func load(_ path: String, terminal: Terminal) throws -> SourceFile {
        do {
            return SourceFile(path: path, text: try SourceFiles.read(path))
        } catch {
            terminal.error("\(error)")
            throw ExitCode(SourceFiles.isRegularFile(path) ? Sysexits.dataError : Sysexits.usage)
        }
    }
}
