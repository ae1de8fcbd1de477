/// `print` and `show`: the two ways a script writes output.
extension Builtins {
    static var output: [Builtin] {
        [
            Builtin("print", [], variadic: true,
                    doc: "Prints its arguments separated by spaces and ends the line; strings print bare, other values as in the REPL. `print(\"n =\", 3)`") { call in
                call.services.output(call.rest.map(\.displayString).joined(separator: " ") + "\n")
                return .null
            },
            Builtin("show", [.init("x")],
                    doc: "Prints a table (or a list of records) as an aligned grid, at most 20 rows and the display width; other values print as the REPL shows them. `show(rows |> take(5))`") { call in
                call.services.output(showText(try call.argument(0), width: call.services.displayWidth) + "\n")
                return .null
            },
        ]
    }

    /// What `show` prints for a value (also what the REPL can use to display one): tables and
    /// lists of records as a `TableGrid`, records as aligned `key  value` lines, else `reprString`.
    public static func showText(_ value: Value, width: Int) -> String {
        let grid = TableGrid(width: width)
        switch value {
        case .table(let t): return grid.render(t)
        case .list(let items) where !items.isEmpty:
            var rows: [Record] = []
            for item in items {
                guard case .record(let r) = item else { return value.reprString }
                rows.append(r)
            }
            return grid.render(Table(rows: rows))
        case .record(let r):
            let keyWidth = r.keys.map(TextWidth.of).max() ?? 0
            return r.pairs.map { pair in
                TextWidth.pad(pair.key, to: keyWidth) + "  " + TableGrid.cellText(pair.value.reprString)
            }.joined(separator: "\n")
        default: return value.reprString
        }
    }
}
