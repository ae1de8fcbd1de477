#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import AlignRuntime

@Suite struct DataFileTests {
    /// A fresh empty folder for one test.
    func temporaryFolder() -> String {
        var template = Array("/tmp/align-builtins-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) } != nil
        }
        #expect(made)
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func files(in folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    let sample = Table(columnNames: ["query", "score"], columns: [
        [.string("a, \"b\"\nc"), .string("ü")], [.float(0.5), .null],
    ])

    @Test func formatFromExtensionOrArgument() throws {
        #expect(try DataFile.format(of: "x/rows.CSV", explicit: nil) == .csv)
        #expect(try DataFile.format(of: "r.ndjson", explicit: nil) == .jsonl)
        #expect(try DataFile.format(of: "data.txt", explicit: "tsv") == .tsv)
        #expect(throws: DataIOError.self) { try DataFile.format(of: "data.txt", explicit: nil) }
        #expect(throws: DataIOError.self) { try DataFile.format(of: "data", explicit: "xlsx") }
    }

    @Test func relativePathsResolveAgainstTheScriptFolder() {
        #expect(DataFile.resolve("data/x.csv", relativeTo: "/work/study") == "/work/study/data/x.csv")
        #expect(DataFile.resolve("/abs/x.csv", relativeTo: "/work/study") == "/abs/x.csv")
        #expect(DataFile.resolve("x.csv", relativeTo: "") == "x.csv")
    }

    @Test(arguments: ["out.csv", "out.tsv", "out.jsonl", "out.json"])
    func writeThenReadRoundTrips(name: String) throws {
        let folder = temporaryFolder()
        let path = folder + "/" + name
        let format = try DataFile.format(of: path, explicit: nil)
        try DataFile.writeAtomically(Array(try DataFile.encode(.table(sample), as: format, path: path).utf8), to: path)
        guard case .table(let back) = try DataFile.load(path, format: format, inferTypes: true) else {
            Issue.record("not a table")
            return
        }
        #expect(back.columnNames == sample.columnNames)
        #expect(back.column("query") == sample.column("query"))
        #expect(back.column("score") == sample.column("score"))
        #expect(files(in: folder) == [name])
    }

    @Test func jsonObjectReadsAsRecordAndScalarsArraysStayLists() throws {
        let folder = temporaryFolder()
        try DataFile.writeAtomically(Array(#"{"b": 1, "a": [1, 2]}"#.utf8), to: folder + "/r.json")
        #expect(try DataFile.load(folder + "/r.json", format: .json) == .record(Record([("b", .int(1)), ("a", .list([.int(1), .int(2)]))])))
        try DataFile.writeAtomically(Array("[1, 2]".utf8), to: folder + "/l.json")
        #expect(try DataFile.load(folder + "/l.json", format: .json) == .list([.int(1), .int(2)]))
    }

    @Test func jsonlLinesMustBeObjects() throws {
        let folder = temporaryFolder()
        try DataFile.writeAtomically(Array("{\"a\": 1}\n[2]\n".utf8), to: folder + "/r.jsonl")
        do {
            _ = try DataFile.load(folder + "/r.jsonl", format: .jsonl)
            Issue.record("expected an error")
        } catch let e as DataIOError {
            #expect(e.line == 2)
            #expect(e.message == "expected a JSON object on every line, found list")
        }
    }

    @Test func failedWriteLeavesNoTemporaryFileAndKeepsTheOldFile() throws {
        let folder = temporaryFolder()
        let target = folder + "/keep.csv"
        try DataFile.writeAtomically(Array("old\n".utf8), to: target)
        #expect(mkdir(folder + "/adir", 0o755) == 0)
        #expect(throws: DataIOError.self) { try DataFile.writeAtomically(Array("new\n".utf8), to: folder + "/adir") }
        #expect(files(in: folder) == ["adir", "keep.csv"])
        #expect(try DataFile.readBytes(target) == Array("old\n".utf8))
    }

    @Test func unencodableValueWritesNothing() throws {
        let folder = temporaryFolder()
        let services = RecordingServices(scriptDirectory: folder)
        let failure = BuiltinHarness.failure("write", [.list([.record(Record([("f", function { _ in .null })]))]), .string("x.jsonl")],
                                             services: services)
        #expect(failure?.message == "cannot write a function as JSON")
        #expect(files(in: folder).isEmpty)
    }

    @Test func missingFolderIsAnErrorNamingIt() {
        do {
            try DataFile.writeAtomically([], to: "/tmp/definitely-missing-align-folder/x.csv")
            Issue.record("expected an error")
        } catch let e as DataIOError {
            #expect(e.description == "/tmp/definitely-missing-align-folder/x.csv: folder `/tmp/definitely-missing-align-folder` does not exist (write creates no folders)")
        } catch { Issue.record("wrong error \(error)") }
    }

    @Test func missingFileNamesThePath() {
        do {
            _ = try DataFile.readBytes("/tmp/no-such-align-file.csv")
            Issue.record("expected an error")
        } catch let e as DataIOError {
            #expect(e.description == "/tmp/no-such-align-file.csv: cannot open: no such file or directory")
        } catch { Issue.record("wrong error \(error)") }
    }

    @Test func readAndWriteBuiltinsUseTheScriptFolder() throws {
        let folder = temporaryFolder()
        let services = RecordingServices(scriptDirectory: folder)
        _ = try BuiltinHarness.call("write", [.table(sample), .string("s.csv")], services: services)
        let back = try BuiltinHarness.call("read", [.string("s.csv")], services: services)
        guard case .table(let t) = back else { Issue.record("not a table"); return }
        #expect(t.column("score") == [.string("0.5"), .null])
        let typed = try BuiltinHarness.call("read", [.string("s.csv")], ["types": .string("infer")], services: services)
        guard case .table(let u) = typed else { Issue.record("not a table"); return }
        #expect(u.column("score") == [.float(0.5), .null])
        let missing = BuiltinHarness.failure("read", [.string("nope.csv")], services: services)
        #expect(missing?.message == "\(folder)/nope.csv: cannot open: no such file or directory")
        #expect(missing?.at == "a0")
        #expect(BuiltinHarness.failure("write", [.int(3), .string("n.csv")], services: services)?.message
                == "n.csv: CSV needs a table or a list of records, found int")
    }
}
