import Foundation
import Testing
@testable import AlignEngine

/// all-MiniLM-L6-v2 on the 256 sentences of `scripts/fixtures/bert_minilm_throughput.py`
/// (MentalLLaMA explanations split into sentences, 9–126 tokens).
enum MiniLMSentences {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/bert/throughput_sentences.txt").path

    static func load() throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static func model() throws -> EncoderModel? {
        guard BertMiniLMTests.folder() != nil else { return nil }
        return try ModelCache.shared.model("minilm").encoder
    }
}

/// A sentence's embedding does not depend on the batch it is embedded in: rows are packed without
/// padding, the dense layers' kernel sums every output in k order whatever rows share the call
/// (`ck_bert_linear`), attention runs per sequence and every per-row step reduces in a fixed
/// order, so the results are bitwise equal.
@Suite struct MiniLMBatchTests {
    @Test func embeddingAloneEqualsEmbeddingInABatchOf32() throws {
        guard let model = try MiniLMSentences.model() else { return }
        let sentences = Array(try MiniLMSentences.load().prefix(32))
        #expect(sentences.count == 32)
        let batch = try model.embed(sentences)
        var worst: Float = 0
        var bitwise = true
        for k in [0, 5, 17, 31] {
            let alone = try #require(try model.embed([sentences[k]]).first)
            bitwise = bitwise && alone == batch[k]
            worst = max(worst, zip(alone, batch[k]).map { abs($0 - $1) }.max() ?? .infinity)
        }
        let reversed = Array(try model.embed(sentences.reversed()).reversed())
        bitwise = bitwise && reversed == batch
        for (a, b) in zip(reversed, batch) { worst = max(worst, zip(a, b).map { abs($0 - $1) }.max() ?? .infinity) }
        print("MiniLM alone vs batch of 32: bitwise \(bitwise), max difference \(worst)")
        #expect(bitwise, "max difference \(worst)")
    }
}

/// Prints sentences/s for 256 sentences in batches of 32 (`align bench --encoder minilm` measures
/// the same through the binary). A report, not a timed test: it runs only when asked:
/// `ALIGN_BENCH=1 swift test -c release --filter MiniLMSpeedReport`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ALIGN_BENCH"] == "1"))
struct MiniLMSpeedReport {
    @Test func sentencesPerSecond() throws {
        guard let model = try MiniLMSentences.model() else { return }
        let sentences = try MiniLMSentences.load()
        _ = try model.embed(Array(sentences.prefix(32)))
        var rates: [Double] = []
        for _ in 0..<5 {
            let start = Date()
            for first in stride(from: 0, to: sentences.count, by: 32) {
                _ = try model.embed(Array(sentences[first..<min(first + 32, sentences.count)]))
            }
            rates.append(Double(sentences.count) / Date().timeIntervalSince(start))
        }
        let sorted = rates.sorted()
        print("MiniLM \(sentences.count) sentences, batch 32, threads \(BertThreads.count): median "
            + String(format: "%.1f", sorted[2]) + " sent/s (min " + String(format: "%.1f", sorted[0])
            + ", max " + String(format: "%.1f", sorted[4]) + ")")
    }
}
