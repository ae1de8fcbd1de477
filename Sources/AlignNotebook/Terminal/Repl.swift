import AlignRuntime
import AlignSyntax
// CReadline re-exports <stdio.h>; its `stdout` must be imported as pre-concurrency too.
@preconcurrency internal import CReadline
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The read–run–print loop: prompts `In [n]:` (and `...:` while the parser says the cell is
/// unfinished), runs cells and `:` commands in a `Session`, prints `Out[n]:` displays and
/// errors, and never lets an error end the loop. Only Ctrl-D, `:quit` or the end of piped input
/// do; piped input exits with status 65 when a cell failed.
public final class Repl {
    let session: Session
    let editor: any LineEditor
    let color: Bool
    private var anyCellFailed = false
    /// Lines of the cell being typed, before the current one.
    private var pending: [String] = []
    /// Printed above the first prompt on a terminal.
    public var banner: String?

    public init(session: Session, editor: any LineEditor, color: Bool) {
        self.session = session
        self.editor = editor
        self.color = color
    }

    /// A REPL on this process's terminal (readline) or pipe (plain reader).
    public static func standard() -> Repl {
        let interactive = isatty(STDIN_FILENO) != 0
        var options = Session.Options()
        options.displayWidth = interactive ? TerminalInfo.width() : 100
        options.echo = { text in
            fputs(text, stdout)
            fflush(stdout)
        }
        let session = Session(options: options)
        let editor: any LineEditor
        if interactive {
            let limit = SourceFiles.environment("ALIGN_HISTORY_SIZE").flatMap { Int($0) } ?? 1000
            let history = HistoryFile.defaultPath(environment: TerminalInfo.environment).map { HistoryFile(path: $0, capacity: limit) }
            editor = ReadlineEditor(history: history)
        } else {
            editor = PlainLineEditor()
        }
        return Repl(session: session, editor: editor, color: interactive && TerminalInfo.usesColor(STDOUT_FILENO))
    }

    /// Runs until Ctrl-D or `:quit`; returns the exit status.
    public func run() -> Int32 {
        Interrupts.install()
        let completer = Completer(source: session)
        // Earlier lines of the cell give context (an open string, a bracket, an `import`).
        editor.completion = { [unowned self] line in
            let earlier = self.pending.isEmpty ? "" : self.pending.joined(separator: "\n") + "\n"
            var completion = completer.complete(earlier + line)
            completion.start -= earlier.utf8.count
            return completion.start >= 0 ? completion : .none
        }
        if editor.isInteractive, let banner { print(banner) }
        pending = []
        while true {
            switch editor.readLine(prompt: prompt(continuing: !pending.isEmpty)) {
            case .endOfInput:
                if !pending.isEmpty { runCell(pending.joined(separator: "\n")) }
                if editor.isInteractive { print("") }
                return !editor.isInteractive && anyCellFailed ? 65 : 0
            case .interrupted:
                pending = []
            case .line(let line):
                if pending.isEmpty && line.allSatisfy(\.isWhitespace) { continue }
                if pending.isEmpty, Magic.parse(line) != nil {
                    editor.addHistory(line)
                    if case .quit = runMagic(line) { return 0 }
                    continue
                }
                pending.append(line)
                let text = pending.joined(separator: "\n")
                if Session.isIncomplete(text) { continue }
                pending = []
                editor.addHistory(text)
                runCell(text)
            }
        }
    }

    private func prompt(continuing: Bool) -> String {
        guard editor.isInteractive else { return "" }
        let label = "In [\(session.nextNumber)]: "
        let text = continuing ? String(repeating: " ", count: label.count - 5) + "...: " : label
        // \u{1} … \u{2} tell readline the escape codes take no columns.
        return color ? "\u{1}\u{1B}[32m\u{2}\(text)\u{1}\u{1B}[0m\u{2}" : text
    }

    private func runCell(_ text: String) {
        session.setDisplayWidth(editor.isInteractive ? TerminalInfo.width() : session.options.displayWidth)
        Interrupts.beginCell(session.interpreter.interruption)
        let execution = session.execute(text)
        // The terminal echoed `^C` where the cursor was; start the report on a new line.
        if Interrupts.endCell() { print("") }
        show(execution, elapsed: nil)
    }

    private func show(_ execution: Session.Execution, elapsed: Double?) {
        fflush(stdout)
        if !execution.assertionFailures.isEmpty {
            fputs(renderer.render(execution.assertionFailures) + "\n", stderr)
        }
        if !execution.diagnostics.isEmpty {
            anyCellFailed = true
            fputs(Session.renderFirst(execution.diagnostics, with: renderer) + "\n", stderr)
        }
        if let result = execution.cell.outputs.lazy.compactMap({ output -> String? in
            if case .result(let text) = output { return text }
            return nil
        }).first {
            printResult(result, number: execution.cell.number)
        }
        if let elapsed { print("time: \(Repl.formatDuration(elapsed))") }
        if editor.isInteractive { print("") }
        fflush(stdout)
    }

    private func printResult(_ text: String, number: Int) {
        guard editor.isInteractive else {
            print(text)
            return
        }
        let label = "Out[\(number)]:"
        let shown = color ? "\u{1B}[31m\(label)\u{1B}[0m" : label
        print(text.contains("\n") ? shown + "\n" + text : shown + " " + text)
    }

    private var renderer: DiagnosticRenderer {
        TerminalInfo.usesColor(STDERR_FILENO) ? .colored : .plain
    }

    private func runMagic(_ line: String) -> MagicOutcome {
        if let parsed = Magic.parse(line), parsed.name == Magic.time.rawValue || parsed.name == Magic.load.rawValue {
            Interrupts.beginCell(session.interpreter.interruption)
        }
        let outcome = session.runMagic(line)
        if Interrupts.endCell() { print("") }
        switch outcome {
        case .text(let text): print(text)
        case .failed(let message): fputs("error: \(message)\n", stderr)
        case .ran(let execution, let elapsed): show(execution, elapsed: elapsed)
        case .quit: break
        }
        if case .ran = outcome {} else if editor.isInteractive { print("") }
        fflush(stdout)
        return outcome
    }

    static func formatDuration(_ seconds: Double) -> String {
        if seconds < 1e-3 { return "\(Int((seconds * 1e6).rounded())) µs" }
        if seconds < 1 { return Value.formatFloat((seconds * 1e4).rounded() / 10) + " ms" }
        return Value.formatFloat((seconds * 1000).rounded() / 1000) + " s"
    }
}
