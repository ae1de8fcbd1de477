import AlignEngine
import Foundation
import Testing

/// The one JSON string escaping (used by the server, run files and chat templates) writes what
/// Python's `json.dumps(s, ensure_ascii=False)` writes, and Foundation reads it back unchanged.
struct JSONStringTests {
    @Test(arguments: JSONStringReference.cases.indices)
    func escapesLikePythonJSONDumps(_ index: Int) throws {
        let c = JSONStringReference.cases[index]
        // Bytes, not `String ==`, which would equate canonically equivalent scalar sequences.
        #expect(Array(JSONString.quoted(c.input).utf8) == Array(c.json.utf8))
        let back = try JSONSerialization.jsonObject(with: Data(JSONString.quoted(c.input).utf8), options: .fragmentsAllowed) as? String
        #expect(back.map { Array($0.utf8) } == Array(c.input.utf8))
    }

    @Test func appendsAfterWhatIsThere() {
        var out = "["
        JSONString.append("a\"b", to: &out)
        #expect(out == #"["a\"b""#)
    }
}
