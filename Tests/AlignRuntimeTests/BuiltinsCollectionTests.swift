import Testing
@testable import AlignRuntime

private func call(_ name: String, _ args: [Value], _ keywords: [String: Value] = [:]) throws -> Value {
    try BuiltinHarness.call(name, args, keywords)
}

private func failure(_ name: String, _ args: [Value], _ keywords: [String: Value] = [:]) -> String? {
    BuiltinHarness.failure(name, args, keywords)?.message
}

private let double = function { args in .int(((args.first?.number).map { Int($0) } ?? 0) * 2) }
private let isEven = function { args in
    if case .int(let i)? = args.first { return .bool(i % 2 == 0) }
    return .bool(false)
}

@Suite struct BuiltinsRegistryTests {
    @Test func everyBuiltinHasAUniqueNameAndADoc() {
        let names = Builtins.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(Set(Builtins.general.map(\.name)).isSubset(of: Set(names)))
        for b in Builtins.all { #expect(b.doc.count > 20, "\(b.name) needs a doc string") }
    }

    @Test func theLanguageContractIsCovered() {
        let contract = ["print", "show", "len", "range", "keys", "values", "map", "filter", "reduce", "zip", "sort",
                        "take", "drop", "join", "split", "lower", "upper", "strip", "replace", "contains",
                        "starts_with", "format", "str", "num", "sum", "mean", "min", "max", "read", "write"]
        let names = Set(Builtins.all.map(\.name))
        for name in contract { #expect(names.contains(name), "missing \(name)") }
    }

    @Test func docsListEverySignature() throws {
        let docs = String(decoding: try DataFile.readBytes(repositoryRoot + "/docs/builtins.md"), as: UTF8.self)
        for b in Builtins.general { #expect(docs.contains("**`\(b.signature)`**"), "docs/builtins.md lacks \(b.signature)") }
    }
}

@Suite struct CollectionBuiltinTests {
    @Test func len() throws {
        #expect(try call("len", [.string("héllo")]) == .int(5))
        #expect(try call("len", [.ints([1, 2])]) == .int(2))
        #expect(try call("len", [.table(Table(columnNames: ["a"], columns: [[.null, .null, .null]]))]) == .int(3))
        #expect(failure("len", [.int(3)]) == "expected a string, list, record or table for `x`, found int")
    }

    @Test func range() throws {
        #expect(try call("range", [.int(3)]) == .ints([0, 1, 2]))
        #expect(try call("range", [.int(2), .int(5)]) == .ints([2, 3, 4]))
        #expect(try call("range", [.int(10), .int(0), .int(-3)]) == .ints([10, 7, 4, 1]))
        #expect(try call("range", [.int(0), .int(10), .int(4)]) == .ints([0, 4, 8]))
        #expect(try call("range", [.int(-5)]) == .list([]))
        #expect(failure("range", [.int(0), .int(1), .int(0)]) == "`step` must not be zero")
        #expect(failure("range", [.int(1_000_000_000_000)])?.hasPrefix("`range` would make 1000000000000 numbers") == true)
        #expect(failure("range", [.int(Int.min), .int(Int.max)])?.hasPrefix("`range` would make too many numbers") == true)
        #expect(try call("range", [.int(Int.max - 2), .int(Int.max), .int(Int.max)]) == .ints([Int.max - 2]))
        #expect(failure("range", [.float(2.5)]) == "expected an integer for `a`, found float")
    }

    @Test func takeAndDrop() throws {
        #expect(try call("take", [.ints([1, 2, 3]), .int(2)]) == .ints([1, 2]))
        #expect(try call("take", [.ints([1, 2, 3]), .int(10)]) == .ints([1, 2, 3]))
        #expect(try call("drop", [.ints([1, 2, 3]), .int(2)]) == .ints([3]))
        #expect(try call("drop", [.ints([1]), .int(5)]) == .list([]))
        #expect(try call("take", [.string("abcdef"), .int(3)]) == .string("abc"))
        #expect(failure("take", [.ints([1]), .int(-1)]) == "expected a non-negative count for `n`, found -1")
        let t = Table(columnNames: ["a", "b"], columns: [[.int(1), .int(2), .int(3)], [.string("x"), .string("y"), .string("z")]])
        #expect(try call("take", [.table(t), .int(1)]) == .table(Table(columnNames: ["a", "b"], columns: [[.int(1)], [.string("x")]])))
        #expect(try call("drop", [.table(t), .int(2)]) == .table(Table(columnNames: ["a", "b"], columns: [[.int(3)], [.string("z")]])))
    }

    @Test func zipEnumerateAppendReverseFlatten() throws {
        #expect(try call("zip", [.ints([1, 2, 3]), .strings(["a", "b"])]) == .list([.list([.int(1), .string("a")]), .list([.int(2), .string("b")])]))
        #expect(try call("zip", [.ints([1]), .ints([2]), .ints([3])]) == .list([.ints([1, 2, 3])]))
        #expect(BuiltinHarness.failure("zip", [.ints([1]), .ints([2]), .int(3)])?.at == "a2")
        #expect(try call("enumerate", [.strings(["a", "b"]), .int(1)]) == .list([.list([.int(1), .string("a")]), .list([.int(2), .string("b")])]))
        #expect(try call("append", [.ints([1]), .int(2)]) == .ints([1, 2]))
        #expect(try call("reverse", [.string("abc")]) == .string("cba"))
        #expect(try call("flatten", [.list([.ints([1]), .int(2), .ints([3, 4])])]) == .ints([1, 2, 3, 4]))
    }

    @Test func uniqueAndCount() throws {
        #expect(try call("unique", [.list([.int(2), .int(1), .float(2.0), .string("a"), .string("a")])]) == .list([.int(2), .int(1), .string("a")]))
        #expect(try call("count", [.strings(["yes", "no", "yes"]), .string("yes")]) == .int(2))
        #expect(try call("count", [.string("aaaa"), .string("aa")]) == .int(2))
        #expect(try call("count", [.ints([1, 2, 3, 4]), isEven]) == .int(2))
        #expect(failure("count", [.string("abc"), .string("")]) == "cannot count empty strings")
    }

    @Test func keysAndValues() throws {
        let r = Record([("b", .int(1)), ("a", .int(2))])
        #expect(try call("keys", [.record(r)]) == .strings(["b", "a"]))
        #expect(try call("values", [.record(r)]) == .ints([1, 2]))
        #expect(failure("values", [.ints([1])]) == "expected a record for `r`, found list")
    }
}

@Suite struct FunctionalBuiltinTests {
    @Test func mapFilterReduce() throws {
        #expect(try call("map", [.ints([1, 2]), double]) == .ints([2, 4]))
        #expect(try call("filter", [.ints([1, 2, 3, 4]), isEven]) == .ints([2, 4]))
        let add = function { args in .int(args.compactMap { $0.number.map { Int($0) } }.reduce(0, +)) }
        #expect(try call("reduce", [.ints([1, 2, 3]), .int(10), add]) == .int(16))
        let order = function { args in .list(args) }
        #expect(try call("reduce", [.ints([1, 2]), .int(0), order]) == .list([.list([.int(0), .int(1)]), .int(2)]))
        #expect(failure("map", [.ints([1]), .int(3)]) == "expected a function for `f`, found int")
        #expect(failure("map", [.string("abc"), double]) == "expected a list or table for `xs`, found string")
    }

    @Test func mapAndFilterOnTables() throws {
        let t = Table(columnNames: ["n"], columns: [[.int(1), .int(2), .int(3)]])
        let toRecord = function { args in
            guard case .record(let r)? = args.first, case .int(let n)? = r["n"] else { return .null }
            return .record(Record([("n", .int(n)), ("sq", .int(n * n))]))
        }
        #expect(try call("map", [.table(t), toRecord]) == .table(Table(columnNames: ["n", "sq"], columns: [[.int(1), .int(2), .int(3)], [.int(1), .int(4), .int(9)]])))
        let field = function { args in if case .record(let r)? = args.first { r["n"] ?? .null } else { .null } }
        #expect(try call("map", [.table(t), field]) == .ints([1, 2, 3]))
        let odd = function { args in if case .record(let r)? = args.first, case .int(let n)? = r["n"] { .bool(n % 2 == 1) } else { .bool(false) } }
        #expect(try call("filter", [.table(t), odd]) == .table(Table(columnNames: ["n"], columns: [[.int(1), .int(3)]])))
    }

    @Test func sortIsStableAndHandlesKeysReverseNaNAndNull() throws {
        #expect(try call("sort", [.list([.int(3), .float(1.5), .int(2)])]) == .list([.float(1.5), .int(2), .int(3)]))
        #expect(try call("sort", [.strings(["b", "a", "C"])]) == .strings(["C", "a", "b"]))
        let pairs: Value = .list([.ints([1, 0]), .ints([0, 1]), .ints([1, 2]), .ints([0, 3])])
        let first = function { args in if case .list(let l)? = args.first { l[0] } else { .null } }
        #expect(try call("sort", [pairs, first]) == .list([.ints([0, 1]), .ints([0, 3]), .ints([1, 0]), .ints([1, 2])]))
        #expect(try call("sort", [pairs], ["key": first, "reverse": .bool(true)]) == .list([.ints([1, 0]), .ints([1, 2]), .ints([0, 1]), .ints([0, 3])]))
        #expect(try call("sort", [.list([.float(.nan), .int(1), .null, .float(-1)])]).reprString == "[-1.0, 1, nan, null]")
        #expect(try call("sort", [.list([.null, .int(2), .int(1)])], ["reverse": .bool(true)]) == .list([.int(2), .int(1), .null]))
        #expect(failure("sort", [.list([.int(1), .string("a")])]) == "cannot sort a list mixing number and string")
        #expect(failure("sort", [.ints([1])], ["reverse": .string("yes")]) == "expected true or false for `reverse`, found string")
    }

    @Test func anyAllGroupBy() throws {
        #expect(try call("any", [.list([.int(0), .string("")])]) == .bool(false))
        #expect(try call("any", [.ints([1, 3, 4]), isEven]) == .bool(true))
        #expect(try call("all", [.list([])]) == .bool(true))
        #expect(try call("all", [.ints([2, 4]), isEven]) == .bool(true))
        let groups = try call("group_by", [.ints([1, 2, 3, 4, 5]), isEven])
        #expect(groups == .record(Record([("false", .ints([1, 3, 5])), ("true", .ints([2, 4]))])))
        #expect(failure("group_by", [.ints([1]), function { _ in .ints([1]) }]) == "`key` must return a string, number, bool or null, found list")
    }
}
