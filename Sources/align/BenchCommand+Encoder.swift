import AlignEngine
import Foundation

/// Sentences per second of a sentence encoder (tokenize + forward + pooling + normalisation),
/// in batches, as a study embedding texts would run it.
struct EncoderBench {
    let id: String
    let sentences: Int
    let batch: Int
    let reps: Int
    let textsPath: String?

    func run() throws(EngineError) -> BenchReport {
        let start = BenchClock.now()
        let loaded = try ModelCache.shared.model(id)
        guard let encoder = loaded.encoder else {
            throw .invalidArgument("\(id) is a \(loaded.kindName), not an encoder; use --model for causal LMs")
        }
        let loadSeconds = BenchClock.now() - start
        let texts = try corpus()
        var report = BenchReport()
        report.facts = [("model", loaded.file), ("sentences", String(texts.count)), ("batch", String(batch)),
                        ("threads", String(WorkerPool.shared.threadCount)),
                        ("load_seconds", String(format: "%.3f", loadSeconds))]
        _ = try encoder.embed(Array(texts.prefix(batch)))
        var rates: [Double] = []
        for rep in 1...reps {
            BenchClock.progress("rep \(rep)/\(reps)")
            let begin = BenchClock.now()
            var index = 0
            while index < texts.count {
                let chunk = Array(texts[index..<min(index + batch, texts.count)])
                _ = try encoder.embed(chunk)
                index += batch
            }
            rates.append(Double(texts.count) / (BenchClock.now() - begin))
        }
        report.rows.append(.init(name: "embed_\(texts.count)", unit: "sent/s", samples: rates))
        report.facts.append(("peak_rss_mib", String(format: "%.1f", BenchClock.peakRSSMiB())))
        return report
    }

    /// `sentences` texts: the file's non-empty lines (cycled if there are fewer), or built-in
    /// synthetic sentences of 6 to 29 words.
    private func corpus() throws(EngineError) -> [String] {
        if let textsPath {
            guard let data = FileManager.default.contents(atPath: textsPath) else {
                throw .file(textsPath, "cannot read the sentences file")
            }
            let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
                .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            guard !lines.isEmpty else { throw .file(textsPath, "no sentences (one per line expected)") }
            return (0..<sentences).map { lines[$0 % lines.count] }
        }
        let words = ["the", "patient", "reports", "feeling", "tired", "and", "anxious", "most", "days", "since",
                     "losing", "a", "job", "sleep", "has", "been", "poor", "friends", "help", "sometimes",
                     "therapy", "seems", "useful", "but", "worries", "remain", "about", "money", "family", "future"]
        return (0..<sentences).map { s in
            let count = 6 + (s * 7) % 24
            return (0..<count).map { words[(s * 13 + $0 * 7) % words.count] }.joined(separator: " ") + "."
        }
    }
}
