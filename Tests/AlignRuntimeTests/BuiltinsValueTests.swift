import Testing
@testable import AlignRuntime

private func call(_ name: String, _ args: [Value], _ keywords: [String: Value] = [:]) throws -> Value {
    try BuiltinHarness.call(name, args, keywords)
}

private func failure(_ name: String, _ args: [Value], _ keywords: [String: Value] = [:]) -> String? {
    BuiltinHarness.failure(name, args, keywords)?.message
}

@Suite struct StringBuiltinTests {
    @Test func joinSplit() throws {
        #expect(try call("join", [.list([.string("a"), .int(1), .float(2.5)]), .string(", ")]) == .string("a, 1, 2.5"))
        #expect(try call("split", [.string("  a  b\nc ")]) == .strings(["a", "b", "c"]))
        #expect(try call("split", [.string("a,,b"), .string(",")]) == .strings(["a", "", "b"]))
        #expect(failure("split", [.string("a"), .string("")]) == "`sep` must not be empty")
    }

    @Test func caseStripReplace() throws {
        #expect(try call("lower", [.string("ÀB")]) == .string("àb"))
        #expect(try call("upper", [.string("straße")]) == .string("STRASSE"))
        #expect(try call("strip", [.string(" \t yes \n")]) == .string("yes"))
        #expect(try call("strip", [.string("xxaxx"), .string("x")]) == .string("a"))
        #expect(try call("replace", [.string("a-b-c"), .string("-"), .string("+")]) == .string("a+b+c"))
        #expect(failure("lower", [.int(1)]) == "expected a string for `s`, found int")
    }

    @Test func containsStartsEnds() throws {
        #expect(try call("contains", [.string("hello"), .string("ell")]) == .bool(true))
        #expect(try call("contains", [.ints([1, 2]), .float(2.0)]) == .bool(true))
        #expect(try call("contains", [.record(Record([("a", .int(1))])), .string("a")]) == .bool(true))
        #expect(try call("starts_with", [.string("Yes, it"), .string("Yes")]) == .bool(true))
        #expect(try call("ends_with", [.string("x.csv"), .string(".json")]) == .bool(false))
    }

    @Test func repeatAndPad() throws {
        #expect(try call("repeat", [.string("ab"), .int(3)]) == .string("ababab"))
        #expect(try call("repeat", [.ints([1]), .int(2)]) == .ints([1, 1]))
        #expect(failure("repeat", [.string("ab"), .int(Int.max)])?.hasPrefix("the result would be too large") == true)
        #expect(try call("pad_left", [.int(7), .int(3), .string("0")]) == .string("007"))
        #expect(try call("pad_right", [.string("ab"), .int(4)]) == .string("ab  "))
        #expect(try call("pad_left", [.string("long"), .int(2)]) == .string("long"))
        #expect(failure("pad_left", [.string("a"), .int(3), .string("ab")]) == "`fill` must be exactly one character")
    }

    @Test func format() throws {
        #expect(try call("format", [.string("{} of {}"), .int(3), .int(10)]) == .string("3 of 10"))
        #expect(try call("format", [.string("{1}-{0}"), .string("a"), .string("b")]) == .string("b-a"))
        let r = Value.record(Record([("name", .string("DR")), ("acc", .float(0.8125))]))
        #expect(try call("format", [.string("{name}: {acc:.2f} {{x}}"), r]) == .string("DR: 0.81 {x}"))
        #expect(try call("format", [.string("{:.1f}"), .float(0.25)]) == .string("0.2"))
        #expect(failure("format", [.string("{} {}"), .int(1)]) == "the template has more `{}` than the 1 value given")
        #expect(BuiltinHarness.failure("format", [.string("{nmae}"), r])?.help == "did you mean `name`?")
        #expect(failure("format", [.string("{x"), .int(1)]) == "unclosed `{` in template")
        #expect(failure("format", [.string("x}"), .int(1)]) == "single `}` in template")
        #expect(failure("format", [.string("{:>5}"), .int(1)]) == "unsupported format spec `:>5`")
        #expect(failure("format", [.string("{9223372036854775807}"), .int(1)]) == "`{9223372036854775807}` is past the last of the 1 value given")
    }
}

@Suite struct NumberBuiltinTests {
    @Test func sumMeanMinMax() throws {
        #expect(try call("sum", [.ints([1, 2, 3])]) == .int(6))
        #expect(try call("sum", [.list([.int(1), .float(0.5)])]) == .float(1.5))
        #expect(try call("sum", [.list([])]) == .int(0))
        #expect(failure("sum", [.ints([Int.max, 1])]) == "integer overflow in `sum`")
        #expect(failure("sum", [.list([.int(1), .string("2")])]) == "expected a list of numbers for `xs`, found string at index 1")
        #expect(try call("mean", [.ints([1, 2])]) == .float(1.5))
        #expect(failure("mean", [.list([])]) == "cannot take the mean of an empty list")
        #expect(try call("min", [.ints([3, 1, 2])]) == .int(1))
        #expect(try call("max", [.int(3), .float(7.5), .int(2)]) == .float(7.5))
        #expect(try call("max", [.strings(["b", "a"])]) == .string("b"))
        #expect(failure("min", [.list([])]) == "`min` of an empty list")
        #expect(failure("max", [.list([.int(1), .string("a")])]) == "cannot compare string with int")
    }

    @Test(arguments: Reference.rounding.indices)
    func roundMatchesPython(_ index: Int) throws {
        let c = Reference.rounding[index]
        let result = try call("round", [.float(Double(bitPattern: c.bits)), .int(c.digits)])
        #expect(result == .float(Double(bitPattern: c.result)), "round(\(Double(bitPattern: c.bits)), \(c.digits))")
    }

    @Test func roundEdges() throws {
        #expect(try call("round", [.float(2.5)]) == .int(2))
        #expect(try call("round", [.float(-3.5)]) == .int(-4))
        #expect(try call("round", [.int(1250), .int(-2)]) == .int(1200))
        #expect(try call("round", [.int(1350), .int(-2)]) == .int(1400))
        #expect(try call("round", [.float(1234.5), .int(Int.min)]) == .float(0))
        #expect(try call("round", [.int(1234), .int(Int.min)]) == .int(0))
        #expect(failure("round", [.float(.nan)]) == "cannot round nan to a 64-bit integer")
        #expect(failure("round", [.float(1e300)]) == "cannot round 1e+300 to a 64-bit integer")
    }

    @Test func mathFunctions() throws {
        #expect(try call("abs", [.int(-3)]) == .int(3))
        #expect(try call("floor", [.float(-2.5)]) == .int(-3))
        #expect(try call("ceil", [.float(2.1)]) == .int(3))
        #expect(try call("ceil", [.int(7)]) == .int(7))
        #expect(failure("floor", [.float(.nan)]) == "cannot convert nan to a 64-bit integer")
        #expect(failure("abs", [.int(Int.min)]) == "integer overflow in `abs`")
        #expect(try call("sqrt", [.int(16)]) == .float(4))
        #expect(failure("sqrt", [.int(-1)]) == "math domain error: `sqrt` of -1.0")
        #expect(try call("log", [.int(100), .int(10)]) == .float(2))
        #expect(failure("log", [.int(0)]) == "math domain error: `log` needs a positive number, found 0.0")
        #expect(try call("exp", [.int(0)]) == .float(1))
        #expect(failure("exp", [.int(1000)]) == "`exp` overflows a float")
    }
}

@Suite struct ConversionBuiltinTests {
    @Test func strNumIntFloatBoolType() throws {
        #expect(try call("str", [.float(1e-5)]) == .string("1e-05"))
        #expect(try call("num", [.string(" 42 ")]) == .int(42))
        #expect(try call("num", [.string("3.5")]) == .float(3.5))
        #expect(try call("num", [.string("-1e3")]) == .float(-1000))
        #expect(failure("num", [.string("12abc")]) == "cannot read \"12abc\" as a number")
        #expect(failure("num", [.string("0x10")]) == "cannot read \"0x10\" as a number")
        #expect(try call("int", [.float(-2.9)]) == .int(-2))
        #expect(try call("int", [.string("7")]) == .int(7))
        #expect(failure("int", [.string("7.5")]) == "cannot read \"7.5\" as an integer")
        #expect(failure("int", [.float(.infinity)]) == "cannot convert inf to a 64-bit integer")
        #expect(try call("float", [.string("inf")]) == .float(.infinity))
        #expect(try call("bool", [.list([])]) == .bool(false))
        #expect(try call("type", [.table(Table())]) == .string("table"))
    }

    @Test func jsonAndParseJSON() throws {
        let r = Value.record(Record([("b", .ints([1, 2])), ("a", .string("x"))]))
        #expect(try call("json", [r]) == .string(#"{"b": [1, 2], "a": "x"}"#))
        #expect(try call("json", [r, .int(1)]) == .string("{\n \"b\": [\n  1,\n  2\n ],\n \"a\": \"x\"\n}"))
        #expect(try call("parse_json", [.string(#"{"b": [1, 2], "a": "x"}"#)]) == r)
        #expect(failure("parse_json", [.string("[1,")]) == "invalid JSON at 1:4: unexpected end of input, expected a value")
        #expect(failure("json", [function { _ in .null }]) == "cannot write a function as JSON")
    }
}

@Suite struct TableBuiltinTests {
    let t = Table(columnNames: ["query", "label"], columns: [[.string("q1"), .string("q2")], [.string("yes"), .string("no")]])

    @Test func tableFromRecordsOrColumns() throws {
        let rows: Value = .list([.record(Record([("a", .int(1))])), .record(Record([("b", .int(2))]))])
        #expect(try call("table", [rows]) == .table(Table(columnNames: ["a", "b"], columns: [[.int(1), .null], [.null, .int(2)]])))
        let cols: Value = .record(Record([("a", .ints([1, 2])), ("b", .strings(["x", "y"]))]))
        #expect(try call("table", [cols]) == .table(Table(columnNames: ["a", "b"], columns: [[.int(1), .int(2)], [.string("x"), .string("y")]])))
        #expect(failure("table", [.record(Record([("a", .ints([1, 2])), ("b", .ints([1]))]))]) == "column `b` has 1 values but `a` has 2")
        #expect(failure("table", [.list([.int(1)])]) == "expected a list of records for `x`, found int at index 0")
    }

    @Test func rowsColumnsSelect() throws {
        #expect(try call("columns", [.table(t)]) == .strings(["query", "label"]))
        #expect(try call("rows", [.table(t)]) == .list([.record(Record([("query", .string("q1")), ("label", .string("yes"))])),
                                                         .record(Record([("query", .string("q2")), ("label", .string("no"))]))]))
        #expect(try call("select", [.table(t), .string("label")]) == .table(Table(columnNames: ["label"], columns: [[.string("yes"), .string("no")]])))
        #expect(try call("select", [.table(t), .strings(["label", "query"])]) == .table(Table(columnNames: ["label", "query"], columns: [t.columns[1], t.columns[0]])))
        let bad = BuiltinHarness.failure("select", [.table(t), .string("query"), .string("lable")])
        #expect(bad?.message == "no column `lable` in table")
        #expect(bad?.help == "did you mean `label`?")
        #expect(bad?.at == "a2")
    }

    @Test func withColumn() throws {
        let added = try call("with_column", [.table(t), .string("n"), .ints([1, 2])])
        #expect(added == .table(Table(columnNames: ["query", "label", "n"], columns: t.columns + [[.int(1), .int(2)]])))
        let computed = try call("with_column", [.table(t), .string("label"), function { args in
            if case .record(let r)? = args.first { .string((r["query"]?.displayString ?? "") + "!") } else { .null }
        }])
        #expect(computed == .table(Table(columnNames: ["query", "label"], columns: [t.columns[0], [.string("q1!"), .string("q2!")]])))
        #expect(failure("with_column", [.table(t), .string("n"), .ints([1])]) == "expected 2 values (one per row), found 1")
    }

    @Test func printWritesDisplayStrings() throws {
        let services = RecordingServices()
        _ = try BuiltinHarness.call("print", [.string("n ="), .int(3), .strings(["a"]), .null], services: services)
        _ = try BuiltinHarness.call("print", [], services: services)
        #expect(services.printed == "n = 3 [\"a\"] null\n\n")
    }
}
