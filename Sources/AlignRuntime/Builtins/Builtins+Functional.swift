/// Built-ins that take a function: `map`, `filter`, `reduce`, `sort`, `any`, `all`, `group_by`.
/// On a table they see each row as a record.
extension Builtins {
    static var functional: [Builtin] {
        [
            Builtin("map", [.init("xs"), .init("f")],
                    doc: "Applies `f` to each element (each row record of a table). On a table, if every result is a record the result is a table, else a list. `map([1, 2], x => x * 2) == [2, 4]`") { call in
                let xs = try call.rows(0, "xs"), f = try call.function(1, "f")
                let results = try xs.elements.map { try call.apply(f, [$0]) }
                if case .table = xs {
                    var rows: [Record] = []
                    for r in results {
                        guard case .record(let record) = r else { return .list(results) }
                        rows.append(record)
                    }
                    return .table(Table(rows: rows))
                }
                return .list(results)
            },
            Builtin("filter", [.init("xs"), .init("f")],
                    doc: "The elements (or table rows) for which `f` returns a true value, in order. `rows |> filter(r => r.label == \"yes\")`") { call in
                let xs = try call.rows(0, "xs"), f = try call.function(1, "f")
                var kept: [Int] = []
                for (i, x) in xs.elements.enumerated() where try call.apply(f, [x]).isTruthy { kept.append(i) }
                return xs.selecting(kept)
            },
            Builtin("reduce", [.init("xs"), .init("init"), .init("f")],
                    doc: "Folds from the left: `f(f(f(init, x0), x1), x2)…`; `init` if `xs` is empty. `reduce([1, 2, 3], 0, (acc, x) => acc + x) == 6`") { call in
                let xs = try call.rows(0, "xs"), f = try call.function(2, "f")
                return try xs.elements.reduce(try call.argument(1)) { try call.apply(f, [$0, $1]) }
            },
            Builtin("sort", [.init("xs"), .init("key", optional: true), .init("reverse", optional: true)],
                    doc: "A sorted copy (stable): numbers, strings, bools or lists, by `key(x)` if given, descending with `reverse: true`; `null`s go last. `sort(rows, key: r => r.score, reverse: true)`") { call in
                try sort(call)
            },
            Builtin("any", [.init("xs"), .init("f", optional: true)],
                    doc: "True if some element is true (or `f(x)` is). `any([0, 2]) == true`") { call in
                let xs = try call.rows(0, "xs"), f = try call.optionalFunction(1, "f")
                for x in xs.elements where try (f.map { try call.apply($0, [x]) } ?? x).isTruthy { return .bool(true) }
                return .bool(false)
            },
            Builtin("all", [.init("xs"), .init("f", optional: true)],
                    doc: "True if every element is true (or `f(x)` is); true for an empty list. `all(scores, s => s >= 0)`") { call in
                let xs = try call.rows(0, "xs"), f = try call.optionalFunction(1, "f")
                for x in xs.elements where try !(f.map { try call.apply($0, [x]) } ?? x).isTruthy { return .bool(false) }
                return .bool(true)
            },
            Builtin("group_by", [.init("xs"), .init("key")],
                    doc: "A record from each distinct `key(x)` (as text) to the elements with that key, in first-seen order; groups of a table are tables. `group_by(rows, r => r.label)`") { call in
                try groupBy(call)
            },
        ]
    }

    private static func sort(_ call: BuiltinCall) throws -> Value {
        let xs = try call.rows(0, "xs")
        let key = try call.optionalFunction(1, "key")
        let descending = try call.bool(2, "reverse", default: false)
        let elements = xs.elements
        let keys = try key.map { f in try elements.map { try call.apply(f, [$0]) } } ?? elements
        var kinds = Set<String>()
        for k in keys where k != .null { kinds.insert(k.number != nil ? "number" : k.typeName) }
        guard kinds.count <= 1 else {
            let found = kinds.sorted().joined(separator: " and ")
            throw call.error(argument: key == nil ? 0 : 1, "cannot sort \(key == nil ? "a list" : "keys") mixing \(found)",
                             help: "sort needs values of one kind: all numbers, all strings, all bools or all lists")
        }
        var present = keys.indices.filter { keys[$0] != .null }
        let missing = keys.indices.filter { keys[$0] == .null }
        try call.ordering(0) {
            try present.sort { a, b in
                switch try Value.compare(keys[a], keys[b]) {
                case .less: return !descending
                case .greater: return descending
                case .equal: return a < b
                }
            }
        }
        return xs.selecting(present + missing)
    }

    private static func groupBy(_ call: BuiltinCall) throws -> Value {
        let xs = try call.rows(0, "xs"), f = try call.function(1, "key")
        var order: [String] = []
        var groups: [String: [Int]] = [:]
        for (i, x) in xs.elements.enumerated() {
            let k = try call.apply(f, [x])
            switch k {
            case .string, .int, .float, .bool, .null: break
            default:
                throw call.error(argument: 1, "`key` must return a string, number, bool or null, found \(k.typeName)")
            }
            let name = k.displayString
            if groups[name] == nil { order.append(name) }
            groups[name, default: []].append(i)
        }
        return .record(Record(order.map { ($0, xs.selecting(groups[$0] ?? [])) }))
    }
}
