import Testing
@testable import AlignRuntime

/// Where the test files live: `/…/Tests/AlignRuntimeTests/CSVTests.swift` → repository root.
let repositoryRoot: String = {
    var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

@Suite struct CSVReaderTests {
    func read(_ text: String, inferTypes: Bool = false) throws -> Table {
        try CSV.read(Array(text.utf8), path: "t.csv", inferTypes: inferTypes)
    }

    func cells(_ t: Table) -> [[String?]] {
        (0..<t.rowCount).map { r in t.columns.map { if case .string(let s) = $0[r] { s } else { nil } } }
    }

    @Test(arguments: Reference.csvCases.indices)
    func matchesPandas(case index: Int) throws {
        let c = Reference.csvCases[index]
        let t = try read(c.text)
        #expect(t.columnNames == c.columns)
        #expect(cells(t) == c.rows)
    }

    @Test func backslashesAreLiteral() throws {
        // `"x\",y`: the backslash does not escape the quote, so the field closes after it.
        let t = try read("a,b\n\"x\\\",y\n")
        #expect(cells(t) == [["x\\", "y"]])
    }

    @Test func unterminatedQuoteNamesTheLineItOpened() {
        #expect(throws: DataIOError.self) { try read("a,b\n1,2\n\"open,3\nmore\n") }
        do { _ = try read("a,b\n1,2\n\"open,3\nmore\n") } catch let e as DataIOError {
            #expect(e.description == "t.csv:3: unterminated quoted field (the quote opened here is never closed)")
        } catch { Issue.record("wrong error \(error)") }
    }

    @Test func longRowIsAnErrorWithItsLine() {
        do {
            _ = try read("a,b\n1,2\n\"x\ny\",2,3\n")
            Issue.record("expected an error")
        } catch let e as DataIOError {
            #expect(e.line == 3)
            #expect(e.message == "expected 2 fields as in the header, found 3")
        } catch { Issue.record("wrong error \(error)") }
    }

    @Test func invalidUTF8IsAnError() {
        #expect(throws: DataIOError.self) { try CSV.read([0x61, 0x0A, 0xFF, 0xFE, 0x0A], path: "t.csv") }
    }

    @Test func emptyInputIsAnEmptyTable() throws {
        let t = try read("")
        #expect(t.columnNames.isEmpty && t.rowCount == 0)
        #expect(try read("\u{FEFF}").columnNames.isEmpty)
    }

    @Test func headerOnly() throws {
        let t = try read("a,b\n")
        #expect(t.columnNames == ["a", "b"])
        #expect(t.rowCount == 0)
    }

    @Test func typeInference() throws {
        let t = try read("i,f,b,s,e\n1,1.5,true,x,\n-2,3,False,4,\n,,,,\n", inferTypes: true)
        #expect(t.column("i") == [.int(1), .int(-2), .null])
        #expect(t.column("f") == [.float(1.5), .float(3), .null])
        if case .float = t.column("f")?[1] {} else { Issue.record("ints in a float column widen to float") }
        #expect(t.column("b") == [.bool(true), .bool(false), .null])
        #expect(t.column("s") == [.string("x"), .string("4"), .null])
        #expect(t.column("e") == [.null, .null, .null])
    }

    @Test func writerQuotesOnlyWhenNeeded() throws {
        let t = Table(columnNames: ["a", "b c", "q"], columns: [
            [.string("plain"), .string(" lead"), .null],
            [.string("x,y"), .string("line\nbreak"), .int(3)],
            [.string("say \"hi\""), .string("back\\slash"), .float(0.5)],
        ])
        let text = try CSV.encode(t)
        #expect(text == "a,b c,q\nplain,\"x,y\",\"say \"\"hi\"\"\"\n\" lead\",\"line\nbreak\",back\\slash\n,3,0.5\n")
    }

    @Test func writerRoundTripsThroughReader() throws {
        let t = Table(columnNames: ["text", "n"], columns: [
            [.string("a \"quoted\", multi\r\nline"), .string("  spaced  "), .string("ünïcødé 中文"), .null],
            [.string("1"), .null, .string("C:\\\\dir"), .string("x")],
        ])
        let back = try read(try CSV.encode(t))
        #expect(back.columnNames == t.columnNames)
        #expect(back.columns == t.columns)
    }

    @Test func singleEmptyCellIsNotABlankLine() throws {
        let t = Table(columnNames: ["a"], columns: [[.string("x"), .null, .string("y")]])
        let text = try CSV.encode(t)
        #expect(text == "a\nx\n\"\"\ny\n")
        #expect(try read(text).rowCount == 3)
    }

    @Test func nestedValuesAreWrittenAsJSON() throws {
        let t = Table(columnNames: ["l"], columns: [[.list([.int(1), .string("a")])]])
        #expect(try CSV.encode(t) == "l\n\"[1, \"\"a\"\"]\"\n")
    }
}

@Suite struct SeedDataTests {
    /// Matches the digest in scripts/fixtures/builtins_reference.py.
    func digest(_ t: Table) -> UInt64 {
        var h: UInt64 = 0xCBF29CE484222325
        func feed(_ bytes: some Sequence<UInt8>) {
            for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001B3 }
        }
        feed(t.columnNames.joined(separator: "\u{1F}").utf8)
        feed([0x1E])
        for r in 0..<t.rowCount {
            for (c, column) in t.columns.enumerated() {
                if c > 0 { feed([0x1F]) }
                if case .string(let s) = column[r] { feed(s.utf8) } else { feed([0]) }
            }
            feed([0x1E])
        }
        return h
    }

    @Test func everySeedFileIsCovered() throws {
        #expect(Reference.seedFiles.count == 45)
    }

    @Test(arguments: Reference.seedFiles.indices)
    func seedFileReadsLikePandas(_ index: Int) throws {
        let expected = Reference.seedFiles[index]
        let path = repositoryRoot + "/" + expected.path
        guard case .table(let t) = try DataFile.load(path, format: .csv) else {
            Issue.record("not a table")
            return
        }
        #expect(t.rowCount == expected.rows, "\(expected.path)")
        #expect(t.columnNames == expected.columns, "\(expected.path)")
        #expect(digest(t) == expected.digest, "\(expected.path): cell text differs from pandas")
    }
}
