/// JSON Lines: one JSON value per line (`rows.jsonl` of runs, common dataset dumps).
/// Blank lines (only whitespace) are skipped; errors name the line.
public enum JSONL {
    /// Every non-blank line parsed as one JSON value, in order.
    public static func parse(_ bytes: [UInt8], path: String) throws -> [Value] {
        try parseLines(bytes, path: path).map(\.value)
    }

    /// Like `parse`, with the 1-based line each value came from.
    public static func parseLines(_ bytes: [UInt8], path: String) throws -> [(line: Int, value: Value)] {
        var values: [(line: Int, value: Value)] = []
        var lineNumber = 1
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let line = bytes[start..<end]
            if line.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) {
                values.append((lineNumber, try JSON.parse(Array(line), path: path, firstLine: lineNumber)))
            }
            lineNumber += 1
            start = end + 1
        }
        return values
    }

    /// One compact JSON value per line, each ending in `\n`.
    public static func encode(_ values: [Value]) throws -> String {
        var out = ""
        for value in values {
            out += try JSON.encode(value)
            out += "\n"
        }
        return out
    }
}
