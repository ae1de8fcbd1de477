/// The reserved words of `.align` (LANGUAGE.md "Lexical rules", plus `break` and `continue`).
/// The REPL completes and highlights them, so the set is public.
public enum Keyword: String, CaseIterable, Sendable {
    case `let`, `var`, fn, objective, prompt, param, `import`, from, `as`
    case `if`, `else`, `for`, `in`, `while`, `return`, `break`, `continue`, run, over
    case `true`, `false`, null, and, or, not
}

extension Keyword {
    /// Keywords that can only begin a statement. One of them first on a line inside `(`/`[`
    /// means a bracket was left open.
    public var startsStatement: Bool {
        switch self {
        case .let, .var, .fn, .objective, .prompt, .param, .import, .from, .for, .while, .return,
             .break, .continue:
            return true
        default:
            return false
        }
    }

    /// The keyword spelled by `bytes`, if any; the lexer's hot path, so no `String` is built.
    init?(_ bytes: ArraySlice<UInt8>) {
        guard bytes.count >= 2, bytes.count <= 9, let first = bytes.first else { return nil }
        for keyword in Keyword.byFirstByte[Int(first)] where keyword.rawValue.utf8.elementsEqual(bytes) {
            self = keyword
            return
        }
        return nil
    }

    private static let byFirstByte: [[Keyword]] = (0..<256).map { byte in
        Keyword.allCases.filter { $0.rawValue.utf8.first == UInt8(byte) }
    }
}

/// Operators and punctuation.
public enum Symbol: String, CaseIterable, Sendable {
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
    case leftBrace = "{", rightBrace = "}"
    case comma = ",", colon = ":", dot = "."
    case plus = "+", minus = "-", star = "*", slash = "/", slashSlash = "//", percent = "%"
    case starStar = "**"
    case equalEqual = "==", bangEqual = "!=", less = "<", lessEqual = "<=", greater = ">"
    case greaterEqual = ">="
    case equal = "=", plusEqual = "+=", minusEqual = "-=", starEqual = "*=", slashEqual = "/="
    case arrow = "=>", pipe = "|>"
}

/// How a string literal was opened; decides escapes, interpolation and line handling.
public struct StringDelimiter: Equatable, Sendable {
    /// `r"…"` / `r"""…"""`: no escapes, no interpolation.
    public let isRaw: Bool
    /// `"""…"""`: content on the lines between the delimiters, indentation removed.
    public let isMultiline: Bool

    public init(isRaw: Bool, isMultiline: Bool) {
        self.isRaw = isRaw
        self.isMultiline = isMultiline
    }
}

public enum TokenKind: Equatable, Sendable {
    case identifier(String)
    case keyword(Keyword)
    case integer(Int)
    case float(Double)
    case symbol(Symbol)
    /// The opening delimiter of a string; `stringText`, `interpolationStart … interpolationEnd`
    /// and a final `stringEnd` follow.
    case stringStart(StringDelimiter)
    /// Literal text of a string with escapes resolved (and, in `"""` strings, indentation removed).
    case stringText(String)
    /// The `{` opening an interpolation inside a string.
    case interpolationStart
    /// The `}` closing an interpolation.
    case interpolationEnd
    /// The closing delimiter (zero width when the lexer closed an unterminated string itself).
    case stringEnd
    /// Ends a statement: a significant newline (several collapse into one) or `;`.
    case newline
    /// Something the lexer already reported (unknown character, malformed number); the parser
    /// skips the statement without reporting it again.
    case invalid
    case endOfFile
}

/// One token; `start..<end` are UTF-8 byte offsets into the source file.
public struct Token: Sendable {
    public let kind: TokenKind
    public let start: Int
    public let end: Int

    public init(_ kind: TokenKind, start: Int, end: Int) {
        self.kind = kind
        self.start = start
        self.end = end
    }

    public func span(in file: SourceFile) -> SourceSpan {
        SourceSpan(file: file, start: start, end: end)
    }
}

extension TokenKind {
    /// How the token reads in a diagnostic, e.g. `` `)` ``, `end of input`, `a string`.
    public var displayName: String {
        switch self {
        case .identifier(let name): return "`\(name)`"
        case .keyword(let keyword): return "`\(keyword.rawValue)`"
        case .integer, .float: return "a number"
        case .symbol(let symbol): return "`\(symbol.rawValue)`"
        case .stringStart, .stringText, .stringEnd: return "a string"
        case .interpolationStart: return "`{`"
        case .interpolationEnd: return "`}`"
        case .newline: return "end of line"
        case .invalid: return "an invalid token"
        case .endOfFile: return "end of input"
        }
    }
}
