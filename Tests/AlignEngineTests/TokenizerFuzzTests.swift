import Foundation
import Testing
@testable import AlignEngine

/// Random text through every tokenizer and random fragments through the template engine: nothing
/// may trap, lossless tokenizers must round-trip, and templates either render or report an error.
@Suite struct TokenizerFuzzTests {
    /// A fixed-seed generator so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let palette: [Unicode.Scalar] = Array(" \t\n\r aZé0'’-<|>/_#{}%\u{0301}\u{00A0}\u{200B}\u{2581}日本語😀👍🏽\u{0007}\u{FFFD}".unicodeScalars)

    static func randomText(_ rng: inout SplitMix) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...40, using: &rng) {
            if Int.random(in: 0..<5, using: &rng) == 0, let v = Unicode.Scalar(UInt32.random(in: 0x20...0x2FFFF, using: &rng)) {
                s.append(v)
            } else {
                s.append(palette[Int.random(in: 0..<palette.count, using: &rng)])
            }
        }
        return String(s)
    }

    static func roundTrips(_ t: any Tokenizer, _ texts: [String], skip: (String) -> Bool = { _ in false }) {
        for s in texts where !skip(s) {
            let ids = t.encode(s, addSpecial: true)
            #expect(ids.allSatisfy { $0 >= 0 && Int($0) < t.vocabularySize }, "\(s.debugDescription)")
            #expect(t.decode(ids, skipSpecial: true) == s, "round trip \(s.debugDescription)")
        }
    }

    static let texts: [String] = {
        var rng = SplitMix(state: 42)
        return (0..<300).map { _ in randomText(&rng) }
    }()

    @Test func byteLevelRoundTrips() throws {
        let t = try TokenizerLoader.load(tokenizerJSON: TokenizerFixtures.folder + "/tiny_bpe/tokenizer.json", config: nil)
        Self.roundTrips(t, Self.texts, skip: { $0.contains("<|") })
        let llama3 = try TokenizerLoader.load(tokenizerJSON: TokenizerFixtures.folder + "/tiny_bpe/tokenizer.llama3.json", config: nil)
        Self.roundTrips(llama3, Self.texts, skip: { $0.contains("<|") })
    }

    @Test func sentencePieceRoundTrips() throws {
        let folder = TokenizerFixtures.folder + "/tiny_spm"
        // Byte fallback makes these lossless for any text that spells no special token and has no
        // `▁` of its own (which decodes to a space by design).
        let spelled = { (s: String) in
            s.contains("<s>") || s.contains("</s>") || s.contains("<unk>") || s.unicodeScalars.contains("\u{2581}")
        }
        Self.roundTrips(try TokenizerLoader.load(tokenizerJSON: folder + "/tokenizer.json", config: nil), Self.texts, skip: spelled)
        Self.roundTrips(try SentencePieceTokenizer(modelPath: folder + "/tokenizer.model"), Self.texts, skip: spelled)
        let gguf = try TokenizerLoader.load(ggufMetadata: try TokenizerBPETests.tinyGGUFMetadata(), source: "gguf_vocab.json")
        Self.roundTrips(gguf, Self.texts, skip: spelled)
        // ... and agree with libsentencepiece id for id.
        let library = try SentencePieceTokenizer(modelPath: folder + "/tokenizer.model")
        for s in Self.texts where !spelled(s) {
            #expect(gguf.encode(s, addSpecial: true) == library.encode(s, addSpecial: true), "\(s.debugDescription)")
        }
    }

    @Test(.enabled(if: TokenizerFixtures.shouldRun(TokenizerFixtures.miniLM)))
    func wordPieceNeverTraps() throws {
        let t = try TokenizerLoader.load(directory: TokenizerFixtures.miniLM)
        for s in Self.texts {
            let ids = t.encode(s, addSpecial: true)
            #expect(ids.first == 101 && ids.last == 102)
            _ = t.decode(ids, skipSpecial: false)
        }
    }

    @Test func templatesRenderOrReportErrors() {
        let fragments = ["{{", "}}", "{%", "%}", "{#", "#}", "-", "if", "for", "x", "in", "messages", "endif", "endfor",
                         "set", "=", "'s'", "\"", "1", "[", "]", "(", ")", "|", "trim", "is", "defined", ".", ":", "~",
                         "+", "*", "loop", "not", "and", "namespace()", " ", "\n", "else", "elif", "macro", "endmacro"]
        var rng = SplitMix(state: 7)
        var rendered = 0
        for _ in 0..<2000 {
            let source = (0..<Int.random(in: 1...14, using: &rng)).map { _ in fragments[Int.random(in: 0..<fragments.count, using: &rng)] }.joined()
            do {
                let t = try ChatTemplate(source, name: "fuzz")
                _ = try t.render(messages: [ChatMessage(role: "user", content: "hi")], addGenerationPrompt: true)
                rendered += 1
            } catch {
                #expect(error.description.hasPrefix("fuzz: line "), "\(source.debugDescription): \(error)")
            }
        }
        #expect(rendered > 0)
    }

    @Test func hostileTemplatesAreBounded() {
        let hostile = [
            "{{ " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000) + " }}",
            "{{ " + Array(repeating: "1", count: 5000).joined(separator: "+") + " }}",
            String(repeating: "{% if true %}", count: 500) + String(repeating: "{% endif %}", count: 500),
            "{% set ns = namespace(s='ab') %}{% for i in range(80) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}{% endfor %}{% endfor %}{% endfor %}",
            "{{ [1, 2, 3][::9223372036854775807] }}{{ range(-9223372036854775807, 9223372036854775807, 9223372036854775807) }}",
            "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
        ]
        for source in hostile {
            do {
                let t = try ChatTemplate(source, name: "hostile")
                _ = try t.render(messages: [], addGenerationPrompt: false)
            } catch {
                #expect(error.description.hasPrefix("hostile: line "), "\(error)")
            }
        }
    }
}
