import Foundation
import Testing
@testable import AlignEngine

/// Renderings written by `scripts/fixtures/chat_template_cases.py` with transformers' Jinja setup.
@Suite struct ChatTemplateTests {
    static let fixture: HFJSON = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/chat_templates/cases.json").path
        return (try? HFJSON.read(path: path)) ?? .null
    }()

    static func conversation(_ name: String) -> [ChatMessage] {
        (fixture["conversations"]?[name]?.arrayValue ?? []).map {
            ChatMessage(role: $0["role"]?.stringValue ?? "", content: $0["content"]?.stringValue ?? "")
        }
    }

    @Test func rendersLikeJinja() throws {
        let renders = Self.fixture["renders"]?.arrayValue ?? []
        #expect(renders.count >= 60)
        var templates: [String: ChatTemplate] = [:]
        for r in renders {
            let name = r["template"]?.stringValue ?? ""
            let t = Self.fixture["templates"]?[name]
            if templates[name] == nil { templates[name] = try ChatTemplate(t?["template"]?.stringValue ?? "", name: name) }
            guard let template = templates[name] else { continue }
            let conversation = r["conversation"]?.stringValue ?? ""
            let generation = r["add_generation_prompt"]?.boolValue ?? false
            let label = "\(name) / \(conversation) / add_generation_prompt=\(generation)"
            let render = { () throws(EngineError) -> String in
                try template.render(messages: Self.conversation(conversation), addGenerationPrompt: generation,
                                    bosToken: t?["bos_token"]?.stringValue ?? "", eosToken: t?["eos_token"]?.stringValue ?? "")
            }
            if let expected = r["output"]?.stringValue {
                #expect(try render() == expected, "\(label)")
            } else {
                let message = r["error"]?.stringValue ?? "?"
                do {
                    _ = try render()
                    Issue.record("\(label): expected error \(message)")
                } catch {
                    #expect(error.description.contains(message), "\(label): \(error)")
                }
            }
        }
    }

    @Test(.enabled(if: TokenizerFixtures.shouldRun(TokenizerFixtures.smolLM2)))
    func smolLM2TemplateFromGGUF() throws {
        let gguf = try GGUFFile(path: TokenizerFixtures.smolLM2)
        let template = try #require(try ChatTemplate(ggufMetadata: gguf.metadata, source: "SmolLM2"))
        let text = try template.render(messages: [ChatMessage(role: "user", content: "Hi")], addGenerationPrompt: true)
        #expect(text.hasPrefix("<|im_start|>system\n"))
        #expect(text.hasSuffix("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"))
    }

    @Test func errorsNamePositionsAndNeverCrash() {
        let bad: [(String, String)] = [
            ("{% if x %}never closed", "missing"),
            ("{{ 1 + }}", "line 1, column 8"),
            ("line one\n{{ 'unclosed }}", "line 2"),
            ("{% for %}{% endfor %}", "expected a name"),
            ("{{ x.y }}", "`x` is undefined"),
            ("{{ 1 // 0 }}", "division"),
            ("{{ 'a' + 1 }}", "unsupported operand"),
            ("{{ foo() }}", "undefined"),
            ("{{ [1] | nosuchfilter }}", "unknown filter"),
            ("{% for i in range(10000000) %}{% endfor %}", "too large"),
            ("{{ 9223372036854775807 + 1 }}", "overflow"),
            ("{{ raise_exception('custom stop') }}", "custom stop"),
            ("{% unknown %}", "unknown statement"),
            ("{# unclosed comment", "unclosed comment"),
            ("{{ 'x' * 99999999 }}", "too large"),
            ("{{ messages[0].content }}", "undefined"),
        ]
        for (source, fragment) in bad {
            do {
                let t = try ChatTemplate(source, name: "bad")
                _ = try t.render(messages: [], addGenerationPrompt: false)
                Issue.record("no error for \(source.debugDescription)")
            } catch {
                #expect(error.description.contains(fragment), "\(source.debugDescription): \(error)")
                #expect(error.description.hasPrefix("bad: "), "\(error)")
            }
        }
    }

    @Test func generationBlocksRenderTheirBody() throws {
        let t = try ChatTemplate("{% for m in messages %}{% generation %}[{{ m.content }}]{% endgeneration %}{% endfor %}")
        #expect(try t.render(messages: [ChatMessage(role: "assistant", content: "ok")], addGenerationPrompt: false) == "[ok]")
    }

    @Test func whitespaceControlAndScoping() throws {
        let t = try ChatTemplate("a  {%- if true -%}  b  {%- endif %}\n  {% set x = 1 %}\n{% for i in [1, 2] %}{% set x = i %}{% endfor %}x={{ x }}")
        #expect(try t.render(messages: [], addGenerationPrompt: false) == "abx=1")
    }
}
