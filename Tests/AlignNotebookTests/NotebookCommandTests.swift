@testable import AlignNotebook
import AlignRuntime
import Testing

/// `align export` and `align run FILE.ipynb` through the functions the commands call.
@Suite struct NotebookCommandTests {
    @Test func exportRunsAPercentScriptIntoANotebookAndMarkdown() throws {
        let dir = TestSession.scratchFolder()
        let script = dir + "/study.align"
        try TestSession.write(try SourceFiles.read(Fixtures.path("percent_sample.align")), to: script)
        #expect(NotebookRunner.exportCommand(script, to: .ipynb, output: nil, execute: true) == 0)
        let notebook = try Notebook.read(dir + "/study.ipynb")
        #expect(notebook.cells.count == 4)
        #expect(notebook.cells[3].outputs.count == 1)
        #expect(try Fixtures.schema.errors(JSON.parse(SourceFiles.read(dir + "/study.ipynb"))).isEmpty)
        #expect(NotebookRunner.exportCommand(dir + "/study.ipynb", to: .md, output: dir + "/study.md", execute: false) == 0)
        #expect(try SourceFiles.read(dir + "/study.md").contains("*Out[2]:*"))
        #expect(NotebookRunner.exportCommand(script, to: .align, output: nil, execute: false) == 64)
    }

    @Test func runWritesOutputsBackAndFailsOnAFailingCell() throws {
        let dir = TestSession.scratchFolder()
        let good = Notebook(cells: [Notebook.Cell(kind: .code, source: "6 * 7", id: "a")])
        try TestSession.write(good.ipynbText(), to: dir + "/good.ipynb")
        #expect(NotebookRunner.runCommand(dir + "/good.ipynb", output: nil) == 0)
        #expect(try Notebook.read(dir + "/good.ipynb").cells[0].outputs == [.result("42")])

        let bad = Notebook(cells: [Notebook.Cell(kind: .code, source: "1 / 0", id: "a"),
                                   Notebook.Cell(kind: .code, source: "2", id: "b")])
        try TestSession.write(bad.ipynbText(), to: dir + "/bad.ipynb")
        #expect(NotebookRunner.runCommand(dir + "/bad.ipynb", output: dir + "/out.ipynb") == 65)
        let written = try Notebook.read(dir + "/out.ipynb")
        #expect(written.cells[0].executionCount == 1)
        #expect(written.cells[1].executionCount == nil)
    }

    @Test func badInputsGiveUsageOrDataStatuses() throws {
        let dir = TestSession.scratchFolder()
        #expect(NotebookRunner.runCommand(dir + "/missing.ipynb", output: nil) == 64)
        try TestSession.write("{not json", to: dir + "/broken.ipynb")
        #expect(NotebookRunner.runCommand(dir + "/broken.ipynb", output: nil) == 65)
        #expect(NotebookRunner.exportCommand(dir + "/missing.align", to: .ipynb, output: nil, execute: true) == 64)
    }
}
