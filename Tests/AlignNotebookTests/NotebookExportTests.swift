@testable import AlignNotebook
import AlignRuntime
import Testing

@Suite struct NotebookExportTests {
    func sessionWithEveryKindOfOutput(directory: String = ".") -> Session {
        let s = TestSession.make(directory: directory)
        s.execute("let xs = [1, 2, 3]")
        s.execute("print(\"total\", sum(xs))\nxs")
        s.execute("xs[10]")
        s.execute("assert(false, \"checked\")\n\"after\"")
        s.execute("table([{q: \"a\", n: 1}, {q: \"b\", n: 2}])")
        return s
    }

    @Test func sessionNotebookMatchesTheNbformatSchema() throws {
        let text = Notebook(session: sessionWithEveryKindOfOutput().cells).ipynbText()
        let json = try JSON.parse(text)
        let errors = try Fixtures.schema.errors(json)
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test func cellsCarryCountsAndOutputs() throws {
        let text = Notebook(session: sessionWithEveryKindOfOutput().cells).ipynbText()
        guard case .record(let root) = try JSON.parse(text), case .list(let cells)? = root["cells"] else {
            Issue.record("no cells")
            return
        }
        #expect(root["nbformat"] == .int(4))
        #expect(root["nbformat_minor"] == .int(5))
        #expect(cells.count == 5)
        guard case .record(let second) = cells[1], case .list(let outputs)? = second["outputs"] else {
            Issue.record("second cell malformed")
            return
        }
        #expect(second["execution_count"] == .int(2))
        #expect(second["source"] == .list([.string("print(\"total\", sum(xs))\n"), .string("xs")]))
        #expect(outputs.count == 2)
        guard case .record(let stream) = outputs[0], case .record(let result) = outputs[1] else { return }
        #expect(stream["output_type"] == .string("stream"))
        #expect(stream["text"] == .list([.string("total 6\n")]))
        #expect(result["output_type"] == .string("execute_result"))
        #expect(result["execution_count"] == .int(2))
        guard case .record(let third) = cells[2], case .list(let errorOutputs)? = third["outputs"],
              case .record(let error)? = errorOutputs.first else { return }
        #expect(error["output_type"] == .string("error"))
    }

    @Test func writesWhatNbformatWrites() {
        // Sorted keys, one-space indent, trailing newline: byte-compatible with nbformat.write.
        let nb = Notebook(cells: [Notebook.Cell(kind: .code, source: "1", id: "c1", executionCount: 1, outputs: [.result("1")])],
                          metadata: Record())
        #expect(nb.ipynbText() == """
        {
         "cells": [
          {
           "cell_type": "code",
           "execution_count": 1,
           "id": "c1",
           "metadata": {},
           "outputs": [
            {
             "data": {
              "text/plain": [
               "1"
              ]
             },
             "execution_count": 1,
             "metadata": {},
             "output_type": "execute_result"
            }
           ],
           "source": [
            "1"
           ]
          }
         ],
         "metadata": {},
         "nbformat": 4,
         "nbformat_minor": 5
        }

        """)
    }

    @Test func readsBackWhatItWrites() throws {
        let dir = TestSession.scratchFolder()
        let original = Notebook(session: sessionWithEveryKindOfOutput().cells)
        try TestSession.write(original.ipynbText(), to: dir + "/s.ipynb")
        let read = try Notebook.read(dir + "/s.ipynb")
        #expect(read.cells.map(\.source) == original.cells.map(\.source))
        #expect(read.cells.map(\.outputs) == original.cells.map(\.outputs))
        #expect(read.ipynbText() == original.ipynbText())
    }

    @Test func badNotebooksGiveErrorsNamingThePlace() throws {
        let dir = TestSession.scratchFolder()
        let cases: [(String, String)] = [
            ("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\"}]}", "cells[0].source"),
            ("{\"nbformat\": 3, \"cells\": []}", "nbformat 3"),
            ("[1, 2]", "top level"),
            ("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"x\", \"outputs\": [{\"output_type\": \"beep\"}]}]}", "cells[0].outputs[0]"),
            ("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": [1]}]}", "cells[0].source[0]"),
            ("{\"nbformat\": 4, ", "line"),
        ]
        for (k, (text, expected)) in cases.enumerated() {
            let path = dir + "/bad\(k).ipynb"
            try TestSession.write(text, to: path)
            do {
                _ = try Notebook.read(path)
                Issue.record("read \(text)")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
                #expect("\(error)".contains(path))
            }
        }
    }

    @Test func markdownExportFencesCodeAndOutputs() {
        let s = TestSession.make()
        s.execute("print(\"```\")\n2")
        let md = Notebook(cells: [Notebook.Cell(kind: .markdown, source: "# Title", id: "m")] +
                          Notebook(session: s.cells).cells).markdownText()
        #expect(md == "# Title\n\n**In [1]:**\n\n````align\nprint(\"```\")\n2\n````\n\n````text\n```\n````\n\n*Out[1]:*\n\n```text\n2\n```\n")
    }

    @Test func percentScriptsSplitIntoCells() {
        let cells = PercentScript.cells("let a = 1\n\n# %%\na + 1\n# %% [markdown]\n# # Notes\n# more\n#%% tail\n\n3\n")
        #expect(cells.map(\.kind) == [.code, .code, .markdown, .code])
        #expect(cells.map(\.source) == ["let a = 1", "a + 1", "# Notes\nmore", "3"])
        #expect(Set(cells.map(\.id)).count == 4)
    }

    @Test func runnerExecutesThePercentSampleIntoAValidNotebook() throws {
        let path = Fixtures.path("percent_sample.align")
        let notebook = Notebook(cells: PercentScript.cells(try SourceFiles.read(path)))
        let result = NotebookRunner().run(notebook, path: path)
        #expect(result.failedCell == nil)
        #expect(result.notebook.cells.map(\.kind) == [.markdown, .code, .code, .code])
        #expect(result.notebook.cells.compactMap(\.executionCount) == [1, 2, 3])
        #expect(result.notebook.cells[1].outputs == [.stdout("n = 3\n"), .result("0.75")])
        let errors = try Fixtures.schema.errors(JSON.parse(result.notebook.ipynbText()))
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test func runnerStopsAtTheFirstFailingCell() {
        let cells = ["let a = 1", "a / 0", "a + 1"].enumerated().map {
            Notebook.Cell(kind: .code, source: $1, id: "c\($0)", executionCount: 9, outputs: [.stdout("stale")])
        }
        let result = NotebookRunner().run(Notebook(cells: cells), path: "./nb.ipynb")
        #expect(result.failedCell == 1)
        #expect(result.notebook.cells[0].outputs.isEmpty)
        #expect(result.notebook.cells[0].executionCount == 1)
        guard case .error(let message, let rendered)? = result.notebook.cells[1].outputs.last else {
            Issue.record("no error output")
            return
        }
        #expect(message.contains("division by zero"))
        #expect(rendered.contains("./nb.ipynb#In[2]:1:"))
        #expect(result.notebook.cells[2].executionCount == nil)
        #expect(result.notebook.cells[2].outputs.isEmpty)
    }

    @Test func exportNamesTheOutputAfterTheInput() {
        #expect(NotebookRunner.replacingExtension(of: "dir.v2/study.align", with: "ipynb") == "dir.v2/study.ipynb")
        #expect(NotebookRunner.replacingExtension(of: "study", with: "md") == "study.md")
        #expect(NotebookRunner.replacingExtension(of: ".hidden", with: "md") == ".hidden.md")
    }
}
