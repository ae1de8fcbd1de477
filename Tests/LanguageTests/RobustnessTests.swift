import AlignRuntime
import AlignSyntax
import Foundation
import Testing

/// Feeds mutated versions of every case file and example to the parser, `check` and `run`
/// (with a step budget): nothing may crash or hang, and every rejected input must come with at
/// least one diagnostic whose span lies inside the file.
@Suite struct RobustnessTests {
    static let variantCount = 20_000
    static let stepBudget = 20_000

    @Test func mutatedScriptsNeverCrash() throws {
        let corpus = Corpus.load()
        #expect(corpus.count >= 100)
        let sandbox = FileManager.default.temporaryDirectory.appendingPathComponent("align-robustness-\(getpid())").path
        try FileManager.default.createDirectory(atPath: sandbox, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: sandbox) }

        var rng = SplitMix64(seed: 0xA119_2026)
        var rejected = 0
        for i in 0..<Self.variantCount {
            let original = corpus[i % corpus.count]
            let mutated = Mutation.apply(&rng, to: original.bytes)
            let text = String(decoding: mutated, as: UTF8.self)
            // Keep the original path so that imports of helper modules still resolve.
            let file = SourceFile(path: original.path, text: text)
            let parsed = Parser.parse(file)
            var options = Interpreter.Options()
            // Relative reads and writes land in a scratch folder, never beside the cases.
            options.scriptDirectory = sandbox
            options.runsDirectory = sandbox
            options.stepBudget = Self.stepBudget
            options.output = { _ in }
            let checked = Interpreter(options: options).check(parsed.program, parseDiagnostics: parsed.diagnostics)
            var problems = checked
            if parsed.diagnostics.isEmpty && checked.isEmpty {
                let outcome = Interpreter(options: options).run(parsed.program)
                problems = outcome.diagnostics
            }
            if !problems.isEmpty { rejected += 1 }
            for d in problems {
                #expect(!d.message.isEmpty, "variant \(i) of \(original.path)")
                if let s = d.span, s.file === file {
                    #expect(s.start >= 0 && s.end <= file.bytes.count, "variant \(i): span out of the file")
                }
            }
        }
        // Most mutations break something; a fuzzer that rejects nothing is not mutating.
        #expect(rejected > Self.variantCount / 4)
    }
}

/// The scripts mutations start from: language cases (all folders) and `examples/`, except those
/// that use models (a model call takes seconds and the step budget cannot cut it short; the
/// language, not the engine, is under test here).
private struct Corpus {
    let path: String
    let bytes: [UInt8]

    static let modelWords = ["model(", "generate(", "chat(", "align(", "embed(", "classify(", "probs(",
                             "logprob(", "tokens(", "detokenize(", "score(", "metaaligner", "imhi", "judge"]

    static func load() -> [Corpus] {
        let cases = LanguageCase.root
        let examples = String(cases[..<cases.range(of: "/Tests/LanguageTests")!.lowerBound]) + "/examples"
        var found: [Corpus] = []
        for folder in [cases, examples] {
            guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
            while let rel = walker.nextObject() as? String {
                guard rel.hasSuffix(".align") else { continue }
                let path = folder + "/" + rel
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                let text = String(decoding: data, as: UTF8.self)
                if modelWords.contains(where: { text.contains($0) }) { continue }
                found.append(Corpus(path: path, bytes: Array(data)))
            }
        }
        return found.sorted { $0.path < $1.path }
    }
}

/// Byte flips, truncations, token swaps, duplicated and deleted lines, inserted punctuation.
private enum Mutation {
    static let punctuation = Array("(){}[]\"'=+-*/%<>|.,:;#\\\n ".utf8)

    static func apply(_ rng: inout SplitMix64, to bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        let rounds = 1 + Int(rng.next() % 3)
        for _ in 0..<rounds where !out.isEmpty {
            let at = Int(rng.next() % UInt64(out.count))
            switch rng.next() % 6 {
            case 0: out[at] = UInt8(truncatingIfNeeded: rng.next())
            case 1: out = Array(out[..<at])
            case 2: out.insert(punctuation[Int(rng.next() % UInt64(punctuation.count))], at: at)
            case 3: out = swapTokens(&rng, out)
            case 4: out = editLines(&rng, out, duplicate: true)
            default: out = editLines(&rng, out, duplicate: false)
            }
        }
        return out
    }

    static func swapTokens(_ rng: inout SplitMix64, _ bytes: [UInt8]) -> [UInt8] {
        var tokens = bytes.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).map(Array.init)
        guard tokens.count > 1 else { return bytes }
        let i = Int(rng.next() % UInt64(tokens.count)), j = Int(rng.next() % UInt64(tokens.count))
        tokens.swapAt(i, j)
        return Array(tokens.joined(separator: [UInt8(ascii: " ")]))
    }

    static func editLines(_ rng: inout SplitMix64, _ bytes: [UInt8], duplicate: Bool) -> [UInt8] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        let i = Int(rng.next() % UInt64(lines.count))
        if duplicate {
            lines.insert(lines[i], at: Int(rng.next() % UInt64(lines.count + 1)))
        } else {
            lines.remove(at: i)
        }
        return Array(lines.joined(separator: [UInt8(ascii: "\n")]))
    }
}

/// A small seeded generator, so every run mutates the same way.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
