import AlignRuntime
import AlignSyntax

/// Candidates for the text being typed, and where in the input they start.
public struct Completion: Equatable, Sendable {
    /// UTF-8 offset into the completed text where the candidates replace what was typed.
    public var start: Int
    public var candidates: [String]

    public static let none = Completion(start: 0, candidates: [])
}

/// Tab completion for the REPL. Given everything typed before the cursor (earlier lines of the
/// cell included), it decides what is being written — a command, a file path inside a string, a
/// module after `import`, a member after `.`, or a name — and offers what fits.
public struct Completer {
    public let source: any CompletionSource

    public init(source: any CompletionSource) {
        self.source = source
    }

    public func complete(_ text: String) -> Completion {
        let bytes = Array(text.utf8)
        let lineStart = (bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        if lineStart == 0, let completion = completeCommand(bytes) { return completion }
        let lexed = Lexer.tokenize(SourceFile(path: "<completion>", text: text))
        if let stringStart = CompletionContext.openStringContent(lexed) {
            let typed = String(decoding: bytes[stringStart...], as: UTF8.self)
            return Completion(start: stringStart, candidates: PathCompletion.candidates(typed, in: source.workingDirectory))
        }
        if lexed.comments.contains(where: { $0.upperBound >= bytes.count && $0.lowerBound < bytes.count }) { return .none }
        let wordStart = CompletionContext.wordStart(bytes)
        let prefix = String(decoding: bytes[wordStart...], as: UTF8.self)
        if wordStart > 0, bytes[wordStart - 1] == UInt8(ascii: ".") {
            let receiver = CompletionContext.receiver(bytes, dot: wordStart - 1)
            return Completion(start: wordStart, candidates: members(of: receiver).filter { $0.hasPrefix(prefix) }.sorted())
        }
        if CompletionContext.expectsModule(lexed, before: wordStart) {
            return Completion(start: wordStart, candidates: moduleNames().filter { $0.hasPrefix(prefix) })
        }
        return Completion(start: wordStart, candidates: names(prefix))
    }

    /// `:he` → `:help`; after `:load `, `:save ` and `:export `, a file path; after `:help `, a name.
    private func completeCommand(_ bytes: [UInt8]) -> Completion? {
        let indent = bytes.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count
        guard indent < bytes.count, bytes[indent] == UInt8(ascii: ":") else { return nil }
        let line = String(decoding: bytes, as: UTF8.self)
        guard let space = bytes[indent...].firstIndex(of: UInt8(ascii: " ")) else {
            let typed = String(decoding: bytes[(indent + 1)...], as: UTF8.self)
            let names = Magic.allCases.map { ":" + $0.rawValue }.filter { $0.hasPrefix(":" + typed) }
            return Completion(start: indent, candidates: names)
        }
        guard let parsed = Magic.parse(line), let magic = Magic(rawValue: parsed.name) else { return Completion.none }
        let argumentStart = bytes[space...].firstIndex { $0 != UInt8(ascii: " ") } ?? bytes.count
        let typed = String(decoding: bytes[argumentStart...], as: UTF8.self)
        switch magic {
        case .load, .save, .export:
            return Completion(start: argumentStart, candidates: PathCompletion.candidates(typed, in: source.workingDirectory))
        case .help:
            return Completion(start: argumentStart, candidates: names(typed))
        case .time:
            return nil
        default:
            return Completion.none
        }
    }

    /// Variables, built-ins, keywords, and objectives inside imported modules (as `module.name`).
    func names(_ prefix: String) -> [String] {
        var all = Set(source.globalNames)
        all.formUnion(source.builtinNames)
        all.formUnion(Keyword.allCases.map(\.rawValue))
        var found = all.filter { $0.hasPrefix(prefix) }.sorted()
        guard !prefix.isEmpty else { return found }
        var qualified: [String] = []
        for name in source.globalNames {
            guard case .module(let m)? = source.value(of: name) else { continue }
            for (member, value) in m.members.pairs where member.hasPrefix(prefix) {
                if case .objective = value { qualified.append(name + "." + member) }
            }
        }
        found += qualified.sorted()
        return found
    }

    /// Fields of a record, columns of a table (or of a list of records), members of a module,
    /// `name`/`text` of an objective: what may follow `receiver.`.
    func members(of receiver: [String]) -> [String] {
        guard let first = receiver.first, var value = source.value(of: first) else { return [] }
        for name in receiver.dropFirst() {
            guard let next = CompletionContext.member(name, of: value) else { return [] }
            value = next
        }
        return CompletionContext.memberNames(of: value).filter(CompletionContext.isIdentifier)
    }

    /// `.align` files in the module search folders, without the extension.
    func moduleNames() -> [String] {
        var found = Set<String>()
        for folder in source.moduleFolders {
            for entry in Directory.entries(folder) where !entry.isDirectory && entry.name.hasSuffix(".align") {
                found.insert(String(entry.name.dropLast(6)))
            }
        }
        return found.sorted()
    }
}
