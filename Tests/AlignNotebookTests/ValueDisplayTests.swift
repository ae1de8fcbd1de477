@testable import AlignNotebook
import AlignRuntime
import Testing

@Suite struct ValueDisplayTests {
    let display = ValueDisplay(width: 40, maxRows: 3, maxItems: 4)

    @Test func tablesUseTheSharedGrid() {
        let t = Table(rows: (0..<5).map { Record([("query", .string("q\($0)")), ("n", .int($0))]) })
        let shown = display.render(.table(t))
        #expect(shown == TableGrid(width: 40, maxRows: 3).render(t))
        #expect(shown.contains("… 2 more rows"))
        let rows = Value.list(t.rows.map(Value.record))
        #expect(display.render(rows) == shown)
    }

    @Test func shortValuesStayOnOneLine() {
        #expect(display.render(.list([.int(1), .string("a")])) == "[1, \"a\"]")
        #expect(display.render(.record(Record([("name", .string("DR")), ("n", .int(405))]))) == "{name: \"DR\", n: 405}")
        #expect(display.render(.float(0.1)) == "0.1")
        #expect(display.render(.string("hi")) == "\"hi\"")
    }

    @Test func wideRecordsBreakOneFieldPerLine() {
        let r = Record([("query", .string(String(repeating: "q", count: 30))), ("scores", .list([.int(1), .int(2)])),
                        ("tags", .record(Record([("a", .int(1))])))])
        let shown = display.render(.record(r))
        #expect(shown == """
        {
          query: "\(String(repeating: "q", count: 30))",
          scores: [1, 2],
          tags: {a: 1},
        }
        """)
    }

    @Test func longListsAreCut() {
        let xs = Value.list((0..<30).map { .string("item number \($0)") })
        let lines = display.render(xs).split(separator: "\n")
        #expect(lines.first == "[")
        #expect(lines.count == 7)
        #expect(lines[5] == "  … 26 more items")
        #expect(lines.last == "]")
    }

    @Test func longStringsWrapInsideTripleQuotes() {
        let text = "The response should acknowledge the user's feelings with warmth and care.\nSecond line."
        let lines = display.render(.string(text)).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "\"\"\"")
        #expect(lines.last == "\"\"\"")
        #expect(lines.dropFirst().dropLast().allSatisfy { TextWidth.of(String($0)) <= 40 })
        #expect(lines.contains("Second line."))
        let rejoined = lines.dropFirst().dropLast().joined(separator: " ")
        #expect(rejoined.replacingOccurrences(" Second", "\nSecond") == text)
    }

    @Test func objectivesShowNameAndText() {
        let short = Objective(name: "w", text: "Warmth: be warm")
        #expect(display.render(.objective(short)) == "objective w = \"Warmth: be warm\"")
        let long = Objective(name: "empathy", text: "Empathy: The response should acknowledge the user's feelings")
        let lines = display.render(.objective(long)).split(separator: "\n")
        #expect(lines.first == "objective empathy =")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("  ") && $0.count <= 40 })
    }

    @Test func wrapCutsWordsWiderThanTheLine() {
        #expect(TextWrap.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(TextWrap.wrap("a bb ccc", width: 4) == ["a bb", "ccc"])
        #expect(TextWrap.wrap("", width: 4) == [""])
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
