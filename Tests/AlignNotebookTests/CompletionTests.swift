@testable import AlignNotebook
import AlignRuntime
import Testing

@Suite struct CompletionTests {
    func completer(_ setup: String = "", directory: String = ".", modules: [String] = []) -> (Session, Completer) {
        let s = TestSession.make(directory: directory, modules: modules)
        if !setup.isEmpty { s.execute(setup) }
        return (s, Completer(source: s))
    }

    @Test func tableColumnsAfterADot() {
        let (_, c) = completer("let rows = table([{query: \"q\", label: \"yes\", qid: 1}])")
        let completion = c.complete("print(rows.q")
        #expect(completion.candidates == ["qid", "query"])
        #expect(completion.start == "print(rows.".utf8.count)
        #expect(c.complete("rows.").candidates == ["label", "qid", "query"])
    }

    @Test func recordMembersThroughAChain() {
        let (_, c) = completer("let cfg = {model: {name: \"smollm2\", threads: 2}, \"not an id\": 1}")
        #expect(c.complete("cfg.").candidates == ["model"])
        #expect(c.complete("cfg.model.th").candidates == ["threads"])
        #expect(c.complete("f(cfg).").candidates.isEmpty)
    }

    @Test func namesBuiltinsAndKeywords() {
        let (_, c) = completer("let prediction = 1")
        #expect(c.complete("pre").candidates == ["prediction"])
        #expect(c.complete("let x = pri").candidates == ["print"])
        #expect(c.complete("ob").candidates.contains("objective"))
        #expect(c.complete("whi").candidates == ["while"])
    }

    @Test func objectiveNamesInImportedModules() throws {
        let dir = TestSession.scratchFolder()
        try TestSession.write("objective honesty = \"Honesty: be honest\"\nlet helper = 1\n", to: dir + "/goals.align")
        let (_, c) = completer("import goals", directory: dir, modules: [dir])
        #expect(c.complete("hon").candidates == ["goals.honesty"])
        #expect(c.complete("goals.").candidates == ["helper", "honesty"])
    }

    @Test func modulesAfterImport() throws {
        let dir = TestSession.scratchFolder()
        try TestSession.write("let a = 1\n", to: dir + "/objectives_extra.align")
        try TestSession.write("let b = 1\n", to: dir + "/other.align")
        let (_, c) = completer(directory: dir, modules: [dir])
        #expect(c.complete("import obj").candidates == ["objectives_extra"])
        #expect(c.complete("from ot").candidates == ["other"])
    }

    @Test func filePathsInsideStrings() throws {
        let dir = TestSession.scratchFolder()
        try TestSession.write("a,b\n1,2\n", to: dir + "/claude.csv")
        try TestSession.write("x", to: dir + "/.hidden")
        let (_, c) = completer(directory: dir)
        let top = c.complete("let t = read(\"")
        #expect(top.candidates == ["claude.csv"])
        #expect(top.start == "let t = read(\"".utf8.count)
        #expect(c.complete("read(\"cl").candidates == ["claude.csv"])
        #expect(c.complete("read(\"" + dir + "/cl").candidates == [dir + "/claude.csv"])
        #expect(c.complete("read(\"{x}.").candidates.isEmpty)
        #expect(c.complete("read(\"{pri").candidates == ["print"])
    }

    @Test func magicsAndTheirArguments() throws {
        let dir = TestSession.scratchFolder()
        try TestSession.write("1\n", to: dir + "/setup.align")
        let (_, c) = completer(directory: dir)
        #expect(c.complete(":ex").candidates == [":export"])
        #expect(c.complete(":").candidates.count == Magic.allCases.count)
        #expect(c.complete(":load se").candidates == ["setup.align"])
        #expect(c.complete(":help le").candidates == ["len", "let"])
    }

    @Test func earlierLinesOfTheCellGiveContext() {
        let (_, c) = completer("let rows = table([{query: \"q\"}])")
        #expect(c.complete("let s = \"\"\"\nread rows.q").candidates.isEmpty)
        #expect(c.complete("let s = [\n  rows.q").candidates == ["query"])
    }

    @Test func readlineSplicing() {
        let line = Array("read(\"data/HH".utf8)
        // The completer replaces from after the quote; readline's word starts after the `/`.
        #expect(CompletionSplice.relative("data/HH-RLHF/", ownStart: 6, readlineStart: 11, line: line) == "HH-RLHF/")
        #expect(CompletionSplice.relative("other/x", ownStart: 6, readlineStart: 11, line: line) == nil)
        #expect(CompletionSplice.relative("HH", ownStart: 11, readlineStart: 6, line: line) == "data/HH")
        #expect(CompletionSplice.commonPrefix(["query", "qid"]) == "q")
    }
}
