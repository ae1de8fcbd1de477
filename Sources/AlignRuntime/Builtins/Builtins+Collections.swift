import AlignSyntax

/// Sizes, ranges and reshaping of lists, records and tables.
extension Builtins {
    /// Larger results (from `range`, `repeat`) are refused: they are almost always a mistake and
    /// would exhaust memory.
    static let maximumGeneratedLength = 10_000_000

    static var collections: [Builtin] {
        [
            Builtin("len", [.init("x")],
                    doc: "Number of characters in a string, elements in a list, fields in a record or rows in a table. `len([1, 2]) == 2`") { call in
                switch try call.argument(0) {
                case .string(let s): return .int(s.count)
                case .list(let l): return .int(l.count)
                case .record(let r): return .int(r.count)
                case .table(let t): return .int(t.rowCount)
                case let v: throw call.typeError(0, "x", expected: "a string, list, record or table", found: v)
                }
            },
            Builtin("range", [.init("a"), .init("b", optional: true), .init("step", optional: true)],
                    doc: "Integers from `a` (or 0) up to but not including `b`, by `step` (default 1, may be negative), as a list. `range(3) == [0, 1, 2]`") { call in
                try range(call)
            },
            Builtin("keys", [.init("x")],
                    doc: "Field names of a record, or column names of a table, as a list of strings. `keys({a: 1}) == [\"a\"]`") { call in
                switch try call.argument(0) {
                case .record(let r): return .list(r.keys.map(Value.string))
                case .table(let t): return .list(t.columnNames.map(Value.string))
                case let v: throw call.typeError(0, "x", expected: "a record or table", found: v)
                }
            },
            Builtin("values", [.init("r")], doc: "Field values of a record, in order, as a list. `values({a: 1, b: 2}) == [1, 2]`") { call in
                .list(try call.record(0, "r").values)
            },
            Builtin("zip", [.init("xs"), .init("ys")], variadic: true,
                    doc: "Pairs up elements of two or more lists: a list of lists, as long as the shortest. `zip([1, 2], [\"a\", \"b\"]) == [[1, \"a\"], [2, \"b\"]]`") { call in
                var lists = [try call.list(0, "xs"), try call.list(1, "ys")]
                for (k, extra) in call.rest.enumerated() {
                    guard case .list(let l) = extra else {
                        throw Diagnostic.error("expected a list for argument \(k + 3) of `zip`, found \(extra.typeName)",
                                               at: call.restSpans.indices.contains(k) ? call.restSpans[k] : call.span)
                    }
                    lists.append(l)
                }
                let n = lists.map(\.count).min() ?? 0
                return .list((0..<n).map { i in .list(lists.map { $0[i] }) })
            },
            Builtin("enumerate", [.init("xs"), .init("start", optional: true)],
                    doc: "Each element with its index as `[i, x]`, counting from `start` (default 0). `enumerate([\"a\"]) == [[0, \"a\"]]`") { call in
                let items = try call.rows(0, "xs").elements
                let start = try call.optionalInt(1, "start") ?? 0
                guard start.addingReportingOverflow(items.count).overflow == false else {
                    throw call.error(argument: 1, "`start` is too large")
                }
                return .list(items.enumerated().map { .list([.int(start + $0.offset), $0.element]) })
            },
            Builtin("append", [.init("xs"), .init("x")],
                    doc: "A new list with `x` added at the end; `xs` itself is unchanged. `append([1], 2) == [1, 2]`") { call in
                .list(try call.list(0, "xs") + [try call.argument(1)])
            },
            Builtin("reverse", [.init("xs")], doc: "A list, string or table in reverse order. `reverse([1, 2, 3]) == [3, 2, 1]`") { call in
                switch try call.argument(0) {
                case .string(let s): return .string(String(s.reversed()))
                case .list(let l): return .list(l.reversed())
                case .table(let t): return RowSequence.table(t).selecting(Array((0..<t.rowCount).reversed()))
                case let v: throw call.typeError(0, "xs", expected: "a list, string or table", found: v)
                }
            },
            Builtin("flatten", [.init("xs")],
                    doc: "Joins a list of lists into one list (one level; non-list elements are kept). `flatten([[1], [2, 3]]) == [1, 2, 3]`") { call in
                .list(try call.list(0, "xs").flatMap { v -> [Value] in if case .list(let l) = v { l } else { [v] } })
            },
            Builtin("unique", [.init("xs")],
                    doc: "The distinct elements in first-seen order (structural equality, so `1` and `1.0` are one). `unique([2, 1, 2]) == [2, 1]`") { call in
                .list(unique(try call.list(0, "xs")))
            },
            Builtin("count", [.init("xs"), .init("x")],
                    doc: "How many elements equal `x`; if `x` is a function, how many it returns true for; in a string, non-overlapping occurrences of `x`. `count(labels, \"yes\")`") { call in
                try count(call)
            },
            Builtin("take", [.init("xs"), .init("n")],
                    doc: "The first `n` elements of a list (or rows of a table, or characters of a string); all of them if there are fewer. `rows |> take(20)`") { call in
                let n = try call.count(1, "n")
                if case .string(let s) = try call.argument(0) { return .string(String(s.prefix(n))) }
                let xs = try call.rows(0, "xs")
                return xs.selecting(Array(0..<min(n, xs.count)))
            },
            Builtin("drop", [.init("xs"), .init("n")],
                    doc: "Everything after the first `n` elements (rows, characters); empty if there are fewer. `drop([1, 2, 3], 1) == [2, 3]`") { call in
                let n = try call.count(1, "n")
                if case .string(let s) = try call.argument(0) { return .string(String(s.dropFirst(n))) }
                let xs = try call.rows(0, "xs")
                return xs.selecting(Array(min(n, xs.count)..<xs.count))
            },
        ]
    }

    private static func range(_ call: BuiltinCall) throws -> Value {
        var start = 0, end = try call.int(0, "a"), step = 1
        if try call.optionalInt(1, "b") != nil {
            start = end
            end = try call.int(1, "b")
        }
        if let s = try call.optionalInt(2, "step") { step = s }
        guard step != 0 else { throw call.error(argument: 2, "`step` must not be zero") }
        let (span, overflow) = step > 0 ? end.subtractingReportingOverflow(start) : start.subtractingReportingOverflow(end)
        let magnitude = step == Int.min ? Int.max : abs(step)
        let count = overflow ? Int.max : (span <= 0 ? 0 : span / magnitude + (span % magnitude == 0 ? 0 : 1))
        guard count <= maximumGeneratedLength else {
            throw call.error("`range` would make \(overflow ? "too many" : String(count)) numbers (the limit is \(maximumGeneratedLength))")
        }
        return .list((0..<count).map { .int(start + $0 * step) })
    }

    static func unique(_ items: [Value]) -> [Value] {
        var seenStrings = Set<String>()
        var kept: [Value] = []
        for item in items {
            if case .string(let s) = item {
                if seenStrings.insert(s).inserted { kept.append(item) }
            } else if !kept.contains(item) {
                kept.append(item)
            }
        }
        return kept
    }

    private static func count(_ call: BuiltinCall) throws -> Value {
        let x = try call.argument(1)
        if case .string(let s) = try call.argument(0) {
            guard case .string(let needle) = x else { throw call.typeError(1, "x", expected: "a string", found: x) }
            guard !needle.isEmpty else { throw call.error(argument: 1, "cannot count empty strings") }
            var n = 0
            var rest = Substring(s)
            while let r = rest.firstRange(of: needle) {
                n += 1
                rest = rest[r.upperBound...]
            }
            return .int(n)
        }
        let items = try call.rows(0, "xs").elements
        if case .function = x {
            return .int(try items.reduce(0) { $0 + (try call.apply(x, [$1]).isTruthy ? 1 : 0) })
        }
        return .int(items.reduce(0) { $0 + ($1 == x ? 1 : 0) })
    }
}
