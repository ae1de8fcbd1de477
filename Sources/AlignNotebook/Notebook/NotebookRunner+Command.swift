import AlignRuntime
import AlignSyntax
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The command-line faces of notebooks: `align run FILE.ipynb [--output FILE]` and
/// `align export SCRIPT --to ipynb|md|align`. They print program output to stdout and errors to
/// stderr, and return sysexits-style statuses (0 ok, 64 usage, 65 bad notebook or failing cell).
extension NotebookRunner {
    public enum ExportFormat: String, CaseIterable, Sendable {
        case ipynb, md, align
    }

    /// Executes the notebook at `path` and writes it back to `output` (default: in place).
    public static func runCommand(_ path: String, output: String?) -> Int32 {
        let notebook: Notebook
        do { notebook = try Notebook.read(path) } catch {
            return report("\(error)", status: SourceFiles.isRegularFile(path) ? 65 : 64)
        }
        return execute(notebook, from: path, writing: .ipynb, to: output ?? path)
    }

    /// Converts a percent-format `.align` script or a notebook; `.align` input runs first unless
    /// `execute` is false, so the notebook carries each cell's outputs.
    public static func exportCommand(_ path: String, to format: ExportFormat, output: String?, execute: Bool) -> Int32 {
        let notebook: Notebook
        let isNotebook = path.hasSuffix(".ipynb")
        do {
            if isNotebook {
                notebook = try Notebook.read(path)
            } else {
                notebook = Notebook(cells: PercentScript.cells(try SourceFiles.read(path)))
            }
        } catch {
            return report("\(error)", status: SourceFiles.isRegularFile(path) ? 65 : 64)
        }
        let destination = output ?? replacingExtension(of: path, with: format.rawValue)
        if destination == path {
            return report("export would overwrite its input `\(path)`; pass --output", status: 64)
        }
        guard execute else { return write(notebook, as: format, to: destination) }
        return self.execute(notebook, from: path, writing: format, to: destination)
    }

    private static func execute(_ notebook: Notebook, from path: String, writing format: ExportFormat, to destination: String) -> Int32 {
        var runner = NotebookRunner()
        runner.echo = { fputs($0, stdout) }
        let result = runner.run(notebook, path: path)
        fflush(stdout)
        let status = write(result.notebook, as: format, to: destination)
        guard status == 0 else { return status }
        if !result.failure.isEmpty {
            let color = DiagnosticRenderer.shouldUseColor(isTTY: isatty(STDERR_FILENO) != 0, environment: environment())
            fputs(Session.renderFirst(result.failure, with: color ? .colored : .plain) + "\n", stderr)
            return report("a cell failed; \(destination) holds the outputs up to it", status: 65)
        }
        return 0
    }

    private static func write(_ notebook: Notebook, as format: ExportFormat, to destination: String) -> Int32 {
        let text: String
        switch format {
        case .ipynb: text = notebook.ipynbText()
        case .md: text = notebook.markdownText()
        case .align:
            text = PercentScript.render(notebook.cells.filter { $0.kind == .code }.map(\.source))
        }
        do {
            try DataFile.writeAtomically(Array(text.utf8), to: destination)
            return 0
        } catch {
            return report("\(error)", status: 65)
        }
    }

    static func replacingExtension(of path: String, with ext: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return path + "." + ext }
        return String(path.dropLast(name.distance(from: dot, to: name.endIndex))) + "." + ext
    }

    private static func report(_ message: String, status: Int32) -> Int32 {
        fputs("error: \(message)\n", stderr)
        return status
    }

    private static func environment() -> [String: String] {
        var env: [String: String] = [:]
        for name in ["NO_COLOR", "TERM"] { env[name] = SourceFiles.environment(name) }
        return env
    }
}
