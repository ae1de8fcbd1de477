import Testing
@testable import AlignEngine

/// `HFJSON` through `JSONReader`: the trees CPython's `json.loads` gives (generated fixture), and
/// malformed input as errors with line:column, never a trap.
@Suite struct HFJSONTests {
    func parse(_ bytes: [UInt8], maximumDepth: Int = JSONReader.maximumDepth) throws -> HFJSON {
        try bytes.withUnsafeBytes { raw in try HFJSON.parse(raw, path: "x.json", maximumDepth: maximumDepth) }
    }

    func parse(_ text: String) throws -> HFJSON { try parse(Array(text.utf8)) }

    /// The error text for `text`, or nil when it parses.
    func failure(_ text: String, maximumDepth: Int = JSONReader.maximumDepth) -> String? {
        do {
            _ = try parse(Array(text.utf8), maximumDepth: maximumDepth)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Equality that also holds for NaN and tells -0.0 from 0.0 (doubles compared by bits).
    static func same(_ a: HFJSON, _ b: HFJSON) -> Bool {
        switch (a, b) {
        case (.double(let x), .double(let y)): x.bitPattern == y.bitPattern
        case (.array(let x), .array(let y)): x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)):
            x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
        default: a == b
        }
    }

    @Test(arguments: JSONReaderReference.accepted.indices)
    func matchesPythonJSONLoads(_ index: Int) throws {
        let c = JSONReaderReference.accepted[index]
        let value = try parse(c.input)
        #expect(Self.same(value, c.value), "\(String(decoding: c.input, as: UTF8.self)) gave \(value), want \(c.value)")
    }

    @Test(arguments: JSONReaderReference.rejected.indices)
    func rejectsWhatPythonRejects(_ index: Int) {
        let input = JSONReaderReference.rejected[index]
        do {
            let value = try parse(input)
            Issue.record("\(String(decoding: input, as: UTF8.self)) parsed as \(value)")
        } catch {
            #expect("\(error)".hasPrefix("x.json: invalid JSON at 1:"))
        }
    }

    @Test func typeDistinctionsAndAccessors() throws {
        let json = try parse(#"{"i": 64, "d": 64.0, "b": true, "big": 12345678901234567890, "s": "64", "n": null}"#)
        #expect(json["i"] == .int(64) && json["d"] == .double(64) && json["b"] == .bool(true))
        #expect(json["i"]?.intValue == 64 && json["d"]?.intValue == 64 && json["b"]?.intValue == nil)
        #expect(json["big"] == .double(12345678901234567890) && json["big"]?.intValue == nil)
        #expect(json["s"]?.intValue == nil && json["s"]?.stringValue == "64")
        #expect(json["n"]?.isNull == true && json["missing"] == nil)
        #expect(json["i"]?.metadataValue == .int(64) && json["d"]?.metadataValue == .float(64))
    }

    @Test func malformedInputNamesTheFileAndPosition() {
        #expect(failure("{\n  \"a\": 1,\n  \"b\" 2\n}") == "x.json: invalid JSON at 3:7: expected ':' after the key")
        #expect(failure("[1, 2") == "x.json: invalid JSON at 1:6: unexpected end of input, expected ',' or ']'")
        #expect(failure("{\"a\": [1,]}") == "x.json: invalid JSON at 1:10: unexpected character ']', expected a value")
        #expect(failure("{\"a\": 1,}") == "x.json: invalid JSON at 1:9: expected a string key")
        #expect(failure("[\"ok\", \"\\q\"]") == "x.json: invalid JSON at 1:9: invalid escape '\\q'")
        #expect(failure("\"\\u12G4\"") == "x.json: invalid JSON at 1:4: expected four hex digits after \\u")
        #expect(failure("{\"é\": \"ü\u{1}\"}") == "x.json: invalid JSON at 1:9: control character in string (use an escape such as \\n)")
        #expect(failure("\"abc") == "x.json: invalid JSON at 1:1: unterminated string")
        #expect(failure("") == "x.json: invalid JSON at 1:1: unexpected end of input, expected a value")
        #expect(failure("[1] x") == "x.json: invalid JSON at 1:5: unexpected text after the JSON value")
    }

    @Test func invalidUTF8IsAnError() {
        #expect(throws: EngineError.self) { try parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: EngineError.self) { try parse([0x22, 0x5C, 0x6E, 0xFF, 0x22]) }
    }

    @Test func nestingDepthIsLimited() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try parse(ok) != .null)
        #expect(failure("[" + ok + "]") == "x.json: invalid JSON at 1:513: nesting deeper than 512 levels")
        #expect(failure(String(repeating: "{\"a\":", count: 100_000))?.contains("nesting deeper than 512 levels") == true)
        #expect(failure("[[[1]]]", maximumDepth: 2) == "x.json: invalid JSON at 1:3: nesting deeper than 2 levels")
    }

    @Test func randomBytesNeverTrap() {
        var state: UInt64 = 7
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        let alphabet = Array("{}[]\",:\\u0123456789abcdefABCDEF.eE+-NaInfitytrufalsenul \n\u{1}é😀".utf8)
        var failures = 0
        for round in 0..<4000 {
            let bytes: [UInt8] = (0..<Int(next() % 48)).map { _ in
                round % 2 == 0 ? UInt8(truncatingIfNeeded: next()) : alphabet[Int(next() % UInt64(alphabet.count))]
            }
            if (try? parse(bytes)) == nil { failures += 1 }
        }
        #expect(failures > 0)
    }
}
