import Testing
@testable import AlignRuntime

@Suite struct JSONTests {
    @Test(arguments: Reference.json.indices)
    func encodesLikePythonJSONDumps(_ index: Int) throws {
        let c = Reference.json[index]
        let value = try JSON.parse(c.text)
        #expect(try JSON.encode(value) == c.compact)
        #expect(try JSON.encode(value, indent: 2) == c.pretty)
        #expect(try JSON.parse(c.compact) == value || c.text.contains("NaN"))
    }

    @Test func keepsKeyOrderAndNumberKinds() throws {
        let v = try JSON.parse(#"{"z": 1, "a": 2.0, "m": [1e2, -3]}"#)
        guard case .record(let r) = v else { Issue.record("not a record"); return }
        #expect(r.keys == ["z", "a", "m"])
        if case .int = r["z"] {} else { Issue.record("1 should be an int") }
        if case .float = r["a"] {} else { Issue.record("2.0 should be a float") }
        #expect(r["m"] == .list([.float(100), .int(-3)]))
    }

    @Test func duplicateKeyKeepsFirstPositionAndLastValue() throws {
        let v = try JSON.parse(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(v == .record(Record([("a", .int(3)), ("b", .int(2))])))
    }

    @Test func surrogatePairsAndLoneSurrogates() throws {
        #expect(try JSON.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSON.parse(#""\ud83d x""#) == .string("\u{FFFD} x"))
    }

    func errorPosition(_ text: String) -> String? {
        do {
            _ = try JSON.parse(text, path: "x.json")
            return nil
        } catch let e as DataIOError {
            return e.description
        } catch { return "\(error)" }
    }

    @Test func errorsCarryLineAndColumn() {
        #expect(errorPosition("{\n  \"a\": 1,\n  \"b\" 2\n}") == "x.json:3:7: expected ':' after the key")
        #expect(errorPosition("[1, 2") == "x.json:1:6: unexpected end of input, expected ',' or ']'")
        #expect(errorPosition("[01]") == "x.json:1:2: numbers must not have leading zeros")
        #expect(errorPosition("\"abc") == "x.json:1:1: unterminated string")
        #expect(errorPosition("{\"é\": tru}") == "x.json:1:7: invalid literal, expected `true`")
        #expect(errorPosition("[1] 2") == "x.json:1:5: unexpected text after the JSON value")
        #expect(errorPosition("\"a\nb\"") == "x.json:1:3: control character in string (use an escape such as \\n)")
        #expect(errorPosition("\"\\x\"") == "x.json:1:2: invalid escape '\\x'")
        #expect(errorPosition("") == "x.json:1:1: unexpected end of input, expected a value")
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(errorPosition(deep)?.contains("nesting deeper than 512 levels") == true)
    }

    @Test func unencodableValuesAreErrors() {
        #expect(throws: JSONEncodingError.self) { try JSON.encode(function { _ in .null }) }
    }

    @Test func tablesEncodeAsArraysOfObjects() throws {
        let t = Table(rows: [Record([("q", .string("a")), ("n", .int(1))])])
        #expect(try JSON.encode(.table(t)) == #"[{"q": "a", "n": 1}]"#)
    }

    @Test func jsonlSkipsBlankLinesAndNamesTheBadLine() throws {
        let text = "{\"a\": 1}\n\n  \n{\"a\": 2}\r\n"
        #expect(try JSONL.parse(Array(text.utf8), path: "r.jsonl") == [.record(Record([("a", .int(1))])), .record(Record([("a", .int(2))]))])
        do {
            _ = try JSONL.parse(Array("{\"a\": 1}\n\n{\"a\": }\n".utf8), path: "r.jsonl")
            Issue.record("expected an error")
        } catch let e as DataIOError {
            #expect(e.description == "r.jsonl:3:7: unexpected character '}', expected a value")
        } catch { Issue.record("wrong error \(error)") }
    }
}

@Suite struct ValueDisplayTests {
    @Test(arguments: Reference.floatRepr.indices)
    func floatsDisplayLikePythonRepr(_ index: Int) {
        let c = Reference.floatRepr[index]
        #expect(Value.formatFloat(Double(bitPattern: c.bits)) == c.repr)
    }

    @Test func specialFloats() {
        #expect(Value.float(.nan).reprString == "nan")
        #expect(Value.float(-.infinity).reprString == "-inf")
        #expect(Value.float(-0.0).displayString == "-0.0")
        #expect(Value.int(Int.min).displayString == "-9223372036854775808")
    }

    @Test func nestedValuesQuoteStringsAndOddKeys() {
        let r = Value.record(Record([("query", .string("hi \"x\"")), ("gpt-3.5-turbo", .list([.int(1), .null]))]))
        #expect(r.reprString == #"{query: "hi \"x\"", "gpt-3.5-turbo": [1, null]}"#)
        #expect(Value.string("bare").displayString == "bare")
    }

    @Test func objectiveListsDisplayAsTextsJoinedBySemicolons() {
        let a = Objective(name: "harmlessness", text: "Harmlessness: avoid harm")
        let b = Objective(name: "helpfulness", text: "Helpfulness: help")
        #expect(Value.list([.objective(a), .objective(b)]).displayString == "Harmlessness: avoid harm; Helpfulness: help")
        #expect(Value.objective(a).displayString == "Harmlessness: avoid harm")
        #expect(Value.list([.objective(a), .int(1)]).displayString.hasPrefix("[<objective"))
    }

    @Test func totalOrder() throws {
        #expect(try Value.compare(.int(1), .float(1.5)) == .less)
        #expect(try Value.compare(.float(.nan), .int(5)) == .greater)
        #expect(try Value.compare(.float(.nan), .float(.nan)) == .equal)
        #expect(try Value.compare(.string("Z"), .string("a")) == .less)
        #expect(try Value.compare(.string("é"), .string("z")) == .greater)
        #expect(try Value.compare(.list([.int(1)]), .list([.int(1), .int(0)])) == .less)
        #expect(throws: ValueComparisonError.self) { try Value.compare(.int(1), .string("1")) }
        #expect(throws: ValueComparisonError.self) { try Value.compare(.null, .int(1)) }
    }
}

@Suite struct JSONNumberTests {
    /// Python keeps arbitrary-precision ints; ours are 64-bit, so larger ones read as floats.
    @Test func integersBeyond64BitsReadAsFloats() throws {
        #expect(try JSON.parse("12345678901234567890") == .float(12345678901234567890.0))
        #expect(try JSON.parse("9223372036854775807") == .int(Int.max))
    }
}

/// Malformed input must give an error, never a trap: random and mutated bytes through the
/// CSV, JSON and JSONL readers.
@Suite struct ReaderRobustnessTests {
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
    }

    @Test func randomBytesNeverTrap() {
        var rng = SplitMix(state: 42)
        let alphabet = Array("{}[]\",:\\ntrufalsenul0123456789.eE+-\r\n \u{00}é".utf8)
        var failures = 0
        for round in 0..<3000 {
            let length = Int(rng.next() % 64)
            let bytes: [UInt8] = (0..<length).map { _ in
                round % 2 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            if (try? CSV.read(bytes, path: "f.csv")) == nil { failures += 1 }
            if (try? JSON.parse(bytes, path: "f.json")) == nil { failures += 1 }
            if (try? JSONL.parse(bytes, path: "f.jsonl")) == nil { failures += 1 }
        }
        #expect(failures > 0)
    }
}
