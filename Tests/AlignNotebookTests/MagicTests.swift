@testable import AlignNotebook
import AlignRuntime
import Testing

@Suite struct MagicTests {
    @Test func helpListsCommandsAndDescribesBuiltinsAndUserFunctions() {
        let s = TestSession.make()
        guard case .text(let all) = s.runMagic(":help") else { Issue.record("no help"); return }
        for m in Magic.allCases { #expect(all.contains(m.usage)) }
        guard case .text(let len) = s.runMagic(":help len") else { Issue.record("no help for len"); return }
        #expect(len.hasPrefix("len("))
        s.execute("# Doubles a number.\nfn double(x) = x * 2")
        guard case .text(let user) = s.runMagic(":help double") else { Issue.record("no help for double"); return }
        #expect(user.contains("double(x)"))
        #expect(user.contains("Doubles a number."))
        guard case .text(let unknown) = s.runMagic(":help nosuchname") else { Issue.record("no answer"); return }
        #expect(unknown.contains("nosuchname"))
    }

    @Test func helpRefusesCode() {
        let s = TestSession.make()
        guard case .text(let answer) = s.runMagic(":help print(1)") else { Issue.record("no answer"); return }
        #expect(answer.contains("takes a name"))
        #expect(s.cells.isEmpty)
    }

    @Test func unknownCommandSuggestsOne() {
        let s = TestSession.make()
        guard case .failed(let message) = s.runMagic(":exp x.ipynb") else { Issue.record("accepted :exp"); return }
        #expect(message.contains(":export"))
    }

    @Test func saveWritesSucceededCellsAsAPercentScript() throws {
        let dir = TestSession.scratchFolder()
        let s = TestSession.make(directory: dir)
        s.execute("let a = 2")
        s.execute("a +")
        s.execute("a * 3")
        guard case .text = s.runMagic(":save study.align") else { Issue.record("save failed"); return }
        let saved = try SourceFiles.read(dir + "/study.align")
        #expect(saved == "# %%\nlet a = 2\n\n# %%\na * 3\n")
        let cells = PercentScript.cells(saved)
        #expect(cells.map(\.source) == ["let a = 2", "a * 3"])
    }

    @Test func loadRunsAFileAsACell() throws {
        let dir = TestSession.scratchFolder()
        try TestSession.write("let loaded = 41\nloaded + 1\n", to: dir + "/setup.align")
        let s = TestSession.make(directory: dir)
        guard case .ran(let e, nil) = s.runMagic(":load setup.align") else { Issue.record("load failed"); return }
        #expect(e.value == .int(42))
        guard case .failed(let message) = s.runMagic(":load missing.align") else { Issue.record("loaded a missing file"); return }
        #expect(message.contains("missing.align"))
    }

    @Test func timeRunsTheExpression() {
        let s = TestSession.make()
        guard case .ran(let e, let elapsed?) = s.runMagic(":time 6 * 7") else { Issue.record("time failed"); return }
        #expect(e.value == .int(42))
        #expect(elapsed >= 0)
    }

    @Test func varsAndObjectivesListWhatWasDefined() {
        let s = TestSession.make()
        s.execute("let rows = table([{q: \"a\"}])\nobjective warmth = \"Warmth: be warm\"")
        guard case .text(let vars) = s.runMagic(":vars") else { Issue.record("no vars"); return }
        #expect(vars.contains("rows"))
        #expect(vars.contains("table"))
        #expect(vars.contains("warmth"))
        #expect(!vars.contains("out "))
        guard case .text(let objectives) = s.runMagic(":objectives") else { Issue.record("no objectives"); return }
        #expect(objectives.contains("warmth"))
        #expect(objectives.contains("Warmth: be warm"))
    }

    @Test func exportNeedsAKnownExtension() {
        let s = TestSession.make(directory: TestSession.scratchFolder())
        guard case .failed(let message) = s.runMagic(":export notes.txt") else { Issue.record("exported .txt"); return }
        #expect(message.contains(".ipynb"))
        guard case .failed(let usage) = s.runMagic(":export") else { Issue.record("exported nothing"); return }
        #expect(usage.contains("usage"))
    }
}
