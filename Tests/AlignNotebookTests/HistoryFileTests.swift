@testable import AlignNotebook
import AlignRuntime
import Testing

@Suite struct HistoryFileTests {
    @Test func multiLineCellsAreOneEntry() throws {
        let path = TestSession.scratchFolder() + "/state/align/history"
        let history = HistoryFile(path: path, capacity: 10)
        history.append("let xs = [\n  1,\n]")
        history.append("print(\"a\\\\b\")")
        #expect(history.load() == ["let xs = [\n  1,\n]", "print(\"a\\\\b\")"])
        #expect(try SourceFiles.read(path).split(separator: "\n").count == 2)
    }

    @Test func loadKeepsTheNewestEntries() throws {
        let path = TestSession.scratchFolder() + "/history"
        let history = HistoryFile(path: path, capacity: 3)
        for k in 1...5 { history.append("cell \(k)") }
        #expect(history.load() == ["cell 3", "cell 4", "cell 5"])
        #expect(try SourceFiles.read(path) == "cell 3\ncell 4\ncell 5\n")
    }

    @Test func followsXDGStateHome() {
        #expect(HistoryFile.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/align/history")
        #expect(HistoryFile.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/align/history")
        #expect(HistoryFile.defaultPath(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"]) == "/h/.local/state/align/history")
        #expect(HistoryFile.defaultPath(environment: [:]) == nil)
    }

    @Test func escapingRoundTrips() {
        for entry in ["a\\nb", "x\ny", "\\", "tab\there", "\r\n"] {
            #expect(HistoryFile.decode(HistoryFile.encode(entry)) == entry)
            #expect(!HistoryFile.encode(entry).contains("\n"))
        }
    }
}
