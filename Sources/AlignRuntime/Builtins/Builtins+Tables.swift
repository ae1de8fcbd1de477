import AlignSyntax

/// Building and reshaping tables.
extension Builtins {
    static var tables: [Builtin] {
        [
            Builtin("table", [.init("x")],
                    doc: "A table from a list of records (columns are all keys in first-seen order, missing cells `null`) or from a record of equal-length column lists. `table({q: [\"a\", \"b\"], n: [1, 2]})`") { call in
                switch try call.argument(0) {
                case .table(let t): return .table(t)
                case .list(let items):
                    var rows: [Record] = []
                    for (k, item) in items.enumerated() {
                        guard case .record(let r) = item else {
                            throw call.error(argument: 0, "expected a list of records for `x`, found \(item.typeName) at index \(k)")
                        }
                        rows.append(r)
                    }
                    return .table(Table(rows: rows))
                case .record(let r):
                    var columns: [[Value]] = []
                    for (name, value) in r.pairs {
                        guard case .list(let column) = value else {
                            throw call.error(argument: 0, "column `\(name)` must be a list, found \(value.typeName)")
                        }
                        if let first = columns.first, first.count != column.count {
                            throw call.error(argument: 0, "column `\(name)` has \(column.count) values but `\(r.keys[0])` has \(first.count)")
                        }
                        columns.append(column)
                    }
                    return .table(Table(columnNames: r.keys, columns: columns))
                case let v: throw call.typeError(0, "x", expected: "a list of records or a record of columns", found: v)
                }
            },
            Builtin("rows", [.init("t")], doc: "The rows of a table as a list of records. `rows(t)[0].query`") { call in
                .list(try call.table(0, "t").rows.map(Value.record))
            },
            Builtin("columns", [.init("t")], doc: "The column names of a table. `columns(read(\"data.csv\"))`") { call in
                .list(try call.table(0, "t").columnNames.map(Value.string))
            },
            Builtin("select", [.init("t")], variadic: true,
                    doc: "A table with only the named columns, in the order given (names as arguments or one list). `select(t, \"query\", \"label\")`") { call in
                try select(call)
            },
            Builtin("with_column", [.init("t"), .init("name"), .init("values")],
                    doc: "A copy of the table with column `name` added (or replaced): `values` is a list with one value per row, or a function of the row record. `with_column(t, \"n\", r => len(r.query))`") { call in
                var t = try call.table(0, "t")
                let name = try call.string(1, "name")
                let values: [Value]
                switch try call.argument(2) {
                case .list(let l):
                    guard l.count == t.rowCount || t.columnNames.isEmpty else {
                        throw call.error(argument: 2, "expected \(t.rowCount) values (one per row), found \(l.count)")
                    }
                    values = l
                case .function:
                    let f = try call.argument(2)
                    values = try t.rows.map { try call.apply(f, [.record($0)]) }
                case let v: throw call.typeError(2, "values", expected: "a list or a function", found: v)
                }
                if t.columnNames.isEmpty {
                    return .table(Table(columnNames: [name], columns: [values]))
                }
                t.setColumn(name, values)
                return .table(t)
            },
        ]
    }

    private static func select(_ call: BuiltinCall) throws -> Value {
        let t = try call.table(0, "t")
        var names: [(String, SourceSpan)] = []
        for (k, v) in call.rest.enumerated() {
            let span = call.restSpans.indices.contains(k) ? call.restSpans[k] : call.span
            let items: [Value]
            if case .list(let l) = v { items = l } else { items = [v] }
            for item in items {
                guard case .string(let s) = item else {
                    throw Diagnostic.error("expected column names (strings), found \(item.typeName)", at: span)
                }
                names.append((s, span))
            }
        }
        var columns: [[Value]] = []
        for (name, span) in names {
            guard let column = t.column(name) else {
                throw Diagnostic.error("no column `\(name)` in table", at: span, label: "not a column",
                                       help: didYouMean(name, among: t.columnNames))
            }
            columns.append(column)
        }
        var seen = Set<String>()
        for (name, span) in names where !seen.insert(name).inserted {
            throw Diagnostic.error("column `\(name)` is selected twice", at: span)
        }
        return .table(Table(columnNames: names.map(\.0), columns: columns))
    }
}
