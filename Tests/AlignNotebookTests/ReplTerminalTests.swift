import AlignTestSupport
@testable import AlignNotebook
import AlignRuntime
import Foundation
import Testing

/// The real `align` REPL in a pseudo-terminal (tmux): typing, multi-line continuation, Tab
/// completion of a column name, Ctrl-C out of an endless loop and at the prompt, `:export`,
/// Ctrl-D, and Up-arrow history across two launches.
@Suite(.serialized) struct ReplTerminalTests {

    @Test func interactiveSessionAndHistoryAcrossLaunches() throws {
        guard let binary = AlignBinary.path() else {
            Issue.record("no built `align` binary next to the tests or under .build/{release,debug}; run `swift build` first or set ALIGN_BINARY")
            return
        }
        let dir = TestSession.scratchFolder()
        try TestSession.write("query,label\nI can't sleep,yes\nGreat day,no\n", to: dir + "/rows.csv")
        let launch = "env XDG_STATE_HOME=\(dir)/state NO_COLOR=1 \(binary); echo EXITED-$?; sleep 30"
        let term = TerminalDriver()
        defer { term.stop() }

        try term.start(launch, directory: dir)
        try term.wait(for: "In [1]:")
        try term.type("1 + 2"); try term.send("Enter")
        try term.wait(for: "Out[1]: 3")

        // An open bracket continues the cell on a `...:` prompt.
        try term.type("let xs = [10,"); try term.send("Enter")
        try term.wait(for: "...:")
        try term.type("20, 30]"); try term.send("Enter")
        try term.wait(for: "In [3]:")
        try term.type("len(xs)"); try term.send("Enter")
        try term.wait(for: "Out[3]: 3")

        // Tab completes a column name from the table bound in an earlier cell.
        try term.type("let rows = read(\"rows.csv\")"); try term.send("Enter")
        try term.wait(for: "In [5]:")
        try term.type("rows.qu"); try term.send("Tab")
        try term.wait(for: "In [5]: rows.query")
        try term.send("Enter")
        try term.wait(for: "Out[5]: [\"I can't sleep\", \"Great day\"]")

        // Ctrl-C stops a running loop; the session keeps its names.
        try term.type("while true {}"); try term.send("Enter")
        usleep(300_000)
        try term.send("C-c")
        try term.wait(for: "interrupted")
        try term.wait(for: "In [7]:")
        try term.type("xs[1]"); try term.send("Enter")
        try term.wait(for: "Out[7]: 20")

        // Ctrl-C at the prompt drops the typed line.
        try term.type("this line is dropped")
        try term.wait(for: "In [8]: this line is dropped")
        try term.send("C-c")
        try term.wait(for: "In [8]: this line is dropped^C")
        try term.type("\"history\" + \"-ok\""); try term.send("Enter")
        try term.wait(for: "Out[8]: \"history-ok\"")

        try term.type(":export session.ipynb"); try term.send("Enter")
        try term.wait(for: "exported 8 cells to session.ipynb")
        try term.send("C-d")
        try term.wait(for: "EXITED-0")

        let notebook = try JSON.parse(DataFile.readBytes(dir + "/session.ipynb"), path: "session.ipynb")
        #expect(try Fixtures.schema.errors(notebook).isEmpty)
        guard case .record(let root) = notebook, case .list(let cells)? = root["cells"] else {
            Issue.record("exported notebook has no cells")
            return
        }
        #expect(cells.count == 8)

        let history = try SourceFiles.read(dir + "/state/align/history")
        #expect(history.contains("let xs = [10,\\n20, 30]\n"))
        #expect(!history.contains("dropped"))

        // Second launch: Up recalls the first launch's cells (the `:export`, then the one before).
        // A second session in the same server: killing the last session would stop the server
        // while the next `new-session` connects to it.
        term.session = "second"
        try term.start(launch, directory: dir)
        try term.wait(for: "In [1]:")
        try term.send("Up")
        try term.wait(for: "In [1]: :export session.ipynb")
        try term.send("Up")
        try term.wait(for: "In [1]: \"history\" + \"-ok\"")
        try term.send("Enter")
        try term.wait(for: "Out[1]: \"history-ok\"")
        try term.type(":quit"); try term.send("Enter")
        try term.wait(for: "EXITED-0")
    }

    @Test func pipedInputPrintsValuesWithoutPrompts() throws {
        guard let binary = AlignBinary.path() else {
            Issue.record("no built `align` binary; run `swift build` first or set ALIGN_BINARY")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data("1+2\nlet s = [1,\n2]\ns\nnope\n_ + _\n".utf8))
        try input.fileHandleForWriting.close()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(out == "3\n[1, 2]\n[1, 2, 1, 2]\n")
        #expect(err.contains("nope"))
        #expect(process.terminationStatus == 65)
    }
}
