import Foundation
import Testing
@testable import AlignEngine

/// Prints how long MiniLM's tokenizer.json (the largest JSON a checkpoint load reads) takes to
/// parse: `HFJSON.parse` (our `JSONReader`) against the `JSONDecoder` path it replaced, best and
/// median of 5. A report, not a timed test (the machine is shared):
/// `ALIGN_BENCH=1 swift test -c release --filter JSONReaderSpeedReport`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ALIGN_BENCH"] == "1"
                && FileManager.default.fileExists(atPath: TokenizerFixtures.miniLM + "/tokenizer.json")))
struct JSONReaderSpeedReport {
    static let path = TokenizerFixtures.miniLM + "/tokenizer.json"

    static func milliseconds(_ runs: [Double]) -> String {
        let sorted = runs.sorted()
        return String(format: "best %.1f ms, median %.1f ms", sorted[0] * 1000, sorted[sorted.count / 2] * 1000)
    }

    @Test func miniLMTokenizerJSON() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.path))
        var ours: [Double] = [], decoder: [Double] = []
        var fromReader = HFJSON.null, fromDecoder = HFJSON.null
        for _ in 0..<5 {
            var start = Date()
            fromReader = try data.withUnsafeBytes { raw in try HFJSON.parse(raw, path: Self.path) }
            ours.append(Date().timeIntervalSince(start))
            start = Date()
            fromDecoder = try JSONDecoder().decode(HFJSON.self, from: data)
            decoder.append(Date().timeIntervalSince(start))
        }
        let vocabulary = fromReader["model"]?["vocab"]?.objectValue?.count ?? 0
        print("MiniLM tokenizer.json (\(data.count) bytes, \(vocabulary) vocabulary entries): "
              + "JSONReader \(Self.milliseconds(ours)); JSONDecoder \(Self.milliseconds(decoder))")
        #expect(fromReader["model"]?["vocab"] == fromDecoder["model"]?["vocab"])
    }
}
