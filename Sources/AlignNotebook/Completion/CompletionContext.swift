import AlignRuntime
import AlignSyntax

/// Reading the text before the cursor: where the current word starts, what precedes it, and
/// whether the cursor is inside a string.
enum CompletionContext {
    static func isIdentifierByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    static func isIdentifier(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return bytes.allSatisfy(isIdentifierByte)
    }

    /// Start of the identifier characters that end `bytes`.
    static func wordStart(_ bytes: [UInt8]) -> Int {
        var i = bytes.count
        while i > 0 && isIdentifierByte(bytes[i - 1]) { i -= 1 }
        return i
    }

    /// `a.b` before the `.` at `dot`, as `["a", "b"]`; empty when it is not a plain name chain
    /// (a call or an index: completion never runs code).
    static func receiver(_ bytes: [UInt8], dot: Int) -> [String] {
        var parts: [String] = []
        var end = dot
        while true {
            let start = wordStart(Array(bytes[..<end]))
            guard start < end else { return [] }
            let name = String(decoding: bytes[start..<end], as: UTF8.self)
            guard isIdentifier(name) else { return [] }
            parts.insert(name, at: 0)
            guard start > 0, bytes[start - 1] == UInt8(ascii: ".") else { break }
            end = start - 1
        }
        return parts
    }

    static func member(_ name: String, of value: Value) -> Value? {
        switch value {
        case .record(let r): return r[name]
        case .module(let m): return m.members[name]
        case .table(let t): return t.column(name).map(Value.list)
        case .objective(let o): return name == "name" ? .string(o.name) : name == "text" ? .string(o.text) : nil
        default: return nil
        }
    }

    static func memberNames(of value: Value) -> [String] {
        switch value {
        case .record(let r): return r.keys
        case .module(let m): return m.members.keys
        case .table(let t): return t.columnNames
        case .objective: return ["name", "text"]
        case .list(let items):
            // `rows.` on a list of records offers the columns `rows.col` would need a table for;
            // the language reads a list of records' field this way too.
            guard case .record(let r)? = items.first else { return [] }
            return r.keys
        default: return []
        }
    }

    /// When the text ends inside a string literal (not inside one of its `{…}` interpolations),
    /// the offset just after its opening quote. The lexer turns a string left open at the end
    /// into one `.invalid` token, which is what is looked for.
    static func openStringContent(_ lexed: LexedSource) -> Int? {
        let bytes = lexed.file.bytes
        guard lexed.unterminatedStringAtEnd,
              let last = lexed.tokens.last(where: { $0.kind != .endOfFile }),
              last.kind == .invalid, last.end >= bytes.count, last.start < bytes.count else { return nil }
        let quote = UInt8(ascii: "\"")
        var i = last.start
        let isRaw = bytes[i] == UInt8(ascii: "r")
        if isRaw { i += 1 }
        guard i < bytes.count, bytes[i] == quote else { return nil }
        i += bytes[i...].starts(with: [quote, quote, quote]) ? 3 : 1
        if !isRaw && interpolationIsOpen(bytes[i...]) { return nil }
        return i
    }

    private static func interpolationIsOpen(_ text: ArraySlice<UInt8>) -> Bool {
        var depth = 0
        var k = text.startIndex
        while k < text.endIndex {
            switch text[k] {
            case UInt8(ascii: "\\"): k += 1
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
            k += 1
        }
        return depth > 0
    }

    /// The word at `wordStart` follows `import` or `from` at the start of a statement.
    static func expectsModule(_ lexed: LexedSource, before wordStart: Int) -> Bool {
        let previous = lexed.tokens.last { $0.end <= wordStart && $0.kind != .endOfFile }
        guard let previous else { return false }
        return previous.kind == .keyword(.import) || previous.kind == .keyword(.from)
    }
}
