import AlignRuntime
import Foundation
import Testing
@testable import AlignReports

@Suite struct RecordedRunTests {
    @Test func tornLinesAreSkippedAndNoted() throws {
        let folder = try TestRuns.scratchFolder("torn")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rows = """
        {"input_hash": "a", "output": {"score": 1}}
        {"input_hash": "b", "output": {"score": 2}}
        {"input_hash": "a", "output": {"score": 3}}
        {"input_hash": "c", "output": {"sco
        """
        try rows.write(toFile: folder + "/rows.jsonl", atomically: true, encoding: .utf8)
        let run = try RecordedRun(folder: folder)
        #expect(run.rows.map(\.inputHash) == ["a", "b"])
        #expect(run.rows.map { $0.output["score"] } == [.int(3), .int(2)])
        #expect(run.notes.contains("1 unreadable line of rows.jsonl skipped (line 4)"))
        #expect(run.notes.contains("no summary.json (the run did not finish)"))
        #expect(run.summary == nil && run.manifest == nil)
    }

    @Test func badFoldersAndFilesAreClearErrors() throws {
        let folder = try TestRuns.scratchFolder("bad")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ReportError.self) { try RecordedRun(folder: folder + "/missing") }
        #expect(throws: ReportError.self) { try RecordedRun(folder: folder) }
        try "[1, 2]".write(toFile: folder + "/summary.json", atomically: true, encoding: .utf8)
        do {
            _ = try RecordedRun(folder: folder)
            Issue.record("a summary that is not an object was accepted")
        } catch let e as ReportError {
            #expect(e.description == "cannot read `\(folder)/summary.json`: expected a JSON object, found list")
        }
        try "{\"run\": ".write(toFile: folder + "/summary.json", atomically: true, encoding: .utf8)
        #expect(throws: ReportError.self) { try RecordedRun(folder: folder) }
        #expect(throws: ReportError.self) { try RecordedRun(folder: folder + "/summary.json") }
    }

    @Test func reportIsWrittenAtomicallyIntoTheRunFolder() throws {
        let scratch = try TestRuns.scratchFolder("write")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let folder = try TestRuns.runScript(in: scratch)
        let run = try RecordedRun(folder: folder)
        #expect(run.rows.count == 24 && run.name == "study")
        try RunReport(run: run).write(to: RunReport.defaultPath(for: folder))
        let page = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        // `.lock` is the run folder's own lock file (see RunFolder); anything else hidden would be a
        // temporary file the atomic write left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") && $0 != ".lock" }
        #expect(leftovers.isEmpty)
        #expect(throws: ReportError.self) { try RunReport(run: run).write(to: scratch + "/no/such/folder/r.html") }
    }
}
