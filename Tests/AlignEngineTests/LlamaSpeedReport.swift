import Foundation
import Testing
@testable import AlignEngine

/// Prints SmolLM2 prompt and decode speed with the shared pool (`ALIGN_THREADS`, default: all
/// CPUs). A report, not a timed test: it asserts nothing about speed and runs only when asked:
/// `ALIGN_BENCH=1 swift test -c release --filter LlamaSpeedReport`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ALIGN_BENCH"] == "1" && LlamaTestModel.isAvailable))
struct LlamaSpeedReport {
    @Test func smolLM2Throughput() throws {
        let model = try LlamaModel.load(store: GGUFFile(path: LlamaTestModel.smolLM2Path))
        print("kernels: \(KernelISA.current), threads: \(WorkerPool.shared.threadCount)")
        for n in [128, 512] {
            let tokens = (0..<n).map { Int32(($0 * 7919) % 49_000 + 100) }
            var best = Double.infinity
            for _ in 0..<3 {
                let start = Date()
                _ = try model.forward(tokens: tokens, cache: model.makeCache())
                best = min(best, Date().timeIntervalSince(start))
            }
            print("prompt \(n) tokens: \(String(format: "%.1f", Double(n) / best)) tok/s (best of 3)")
        }
        let cache = model.makeCache()
        var logits = try model.forward(tokens: [504, 3575, 282, 4649, 314], cache: cache)
        let start = Date()
        let steps = 128
        for _ in 0..<steps {
            let next = Sampler.argmax(logits)
            logits = try model.forward(tokens: [next], cache: cache)
        }
        print("decode \(steps) tokens: \(String(format: "%.1f", Double(steps) / Date().timeIntervalSince(start))) tok/s")
    }
}
