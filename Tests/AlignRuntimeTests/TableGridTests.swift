import Testing
@testable import AlignRuntime

@Suite struct TableGridTests {
    let table = Table(columnNames: ["query", "label", "score"], columns: [
        [.string("Is this post about stress?"), .string("I can't sleep\nat all"), .string("中文 text")],
        [.string("yes"), .string("no"), .null],
        [.float(0.25), .int(12), .float(-1.5)],
    ])

    @Test func rendersAnAlignedGrid() {
        let text = TableGrid(width: 80).render(table)
        #expect(text == """
        #  query                       label  score
        ─  ──────────────────────────  ─────  ─────
        0  Is this post about stress?  yes     0.25
        1  I can't sleep\\nat all       no        12
        2  中文 text                   null    -1.5
        """)
    }

    @Test func narrowsWideColumnsToTheWidth() {
        let text = TableGrid(width: 30).render(table)
        #expect(text == """
        #  query          label  score
        ─  ─────────────  ─────  ─────
        0  Is this post…  yes     0.25
        1  I can't slee…  no        12
        2  中文 text      null    -1.5
        """)
        for line in text.split(separator: "\n") { #expect(TextWidth.of(String(line)) <= 30) }
    }

    @Test func dropsColumnsThatCannotFit() {
        let wide = Table(columnNames: (0..<8).map { "column\($0)" }, columns: (0..<8).map { _ in [.string("value")] })
        let text = TableGrid(width: 40).render(wide)
        #expect(text == """
        #  column0  column1  column2  column3
        ─  ───────  ───────  ───────  ───────
        0  value    value    value    value
        … 4 more columns: column4, column5, column6, column7
        """)
    }

    @Test func limitsRowsAndSaysHowManyMore() {
        let long = Table(columnNames: ["n"], columns: [(0..<25).map(Value.int)])
        let lines = TableGrid(width: 80, maxRows: 20).render(long).split(separator: "\n")
        #expect(lines.count == 23)
        #expect(lines.last == "… 5 more rows")
        #expect(lines[21] == "19  19")
    }

    @Test func emptyTables() {
        #expect(TableGrid(width: 80).render(Table()) == "(empty table: no columns)")
        #expect(TableGrid(width: 80).render(Table(columnNames: ["a"], columns: [[]])) == "#  a\n─  ─\n(no rows)")
    }

    @Test func showPrintsGridsAndRecords() throws {
        let services = RecordingServices(displayWidth: 80)
        _ = try BuiltinHarness.call("show", [.list([.record(Record([("a", .int(1))])), .record(Record([("b", .string("x"))]))])],
                                    services: services)
        _ = try BuiltinHarness.call("show", [.record(Record([("name", .string("DR")), ("n", .int(405))]))], services: services)
        _ = try BuiltinHarness.call("show", [.string("text")], services: services)
        #expect(services.printed == "#     a  b\n─  ────  ────\n0     1  null\n1  null  x\n" + "name  \"DR\"\nn     405\n" + "\"text\"\n")
    }
}
