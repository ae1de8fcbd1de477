import AlignEngine
import ArgumentParser
import Foundation

/// `align bench`: the engine's own throughput figures on a real model, measured inside the real
/// binary so `scripts/bench` can set them beside llama.cpp and PyTorch. Progress goes to stderr,
/// results to stdout (a table, or JSON with `--json`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure prompt and decode throughput of a causal LM, or sentences/s of an encoder.",
        discussion: """
        Prompts are fixed synthetic token ids (the same formula in scripts/bench feeds llama.cpp and \
        PyTorch), decoding is greedy and ignores end-of-sequence. `--startup N` loads the model, \
        generates N tokens and exits (scripts/bench times the whole process).
        """)

    @Option(help: "Causal LM to measure (alias, GGUF path or model folder).")
    var model = "smollm2"

    @Option(help: "Encoder to measure instead of a causal LM (e.g. minilm).")
    var encoder: String?

    @Option(help: "Worker threads (default: ALIGN_THREADS or all CPUs).")
    var threads: Int?

    @Option(help: "Comma-separated prompt lengths in tokens.")
    var prompt = "128,512"

    @Option(help: "Greedy tokens decoded after the first prompt (0 to skip).")
    var decode = 128

    @Option(help: "Repetitions; the median, min and max are reported.")
    var reps = 5

    @Option(help: "Quantize the weights at load (q8_0, q4_0, q4_k), as `model(..., quantize:)`.")
    var quantize: String?

    @Option(help: "Only load the model and generate this many tokens, then exit.")
    var startup: Int?

    @Option(help: "Encoder: number of sentences embedded per repetition.")
    var sentences = 256

    @Option(help: "Encoder: sentences per batch.")
    var batch = 32

    @Option(help: "Encoder: a text file with one sentence per line (default: built-in synthetic sentences).")
    var texts: String?

    @Flag(help: "Print the results as JSON.")
    var json = false

    mutating func validate() throws {
        guard reps >= 1 else { throw ValidationError("--reps must be at least 1") }
        guard decode >= 0 else { throw ValidationError("--decode must be 0 or more") }
        guard sentences >= 1, batch >= 1 else { throw ValidationError("--sentences and --batch must be at least 1") }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be between 1 and 256") }
        if let startup, startup < 1 { throw ValidationError("--startup must be at least 1") }
        guard promptLengths != nil else { throw ValidationError("--prompt takes positive integers separated by commas, got '\(prompt)'") }
    }

    var promptLengths: [Int]? {
        let parts = prompt.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
        return parts.compactMap { $0 }
    }

    func run() throws {
        if let threads {
            setenv("ALIGN_THREADS", String(threads), 1)
            // OpenBLAS (encoders, seq2seq) is loaded on first use and reads this then.
            setenv("OPENBLAS_NUM_THREADS", String(threads), 1)
        }
        do {
            let report: BenchReport
            if let encoder {
                report = try EncoderBench(id: encoder, sentences: sentences, batch: batch, reps: reps,
                                          textsPath: texts).run()
            } else {
                let options = ModelLoadOptions(threads: threads, quantize: quantize)
                let bench = LanguageModelBench(id: model, options: options, prompts: promptLengths ?? [],
                                               decode: decode, reps: reps)
                if let startup {
                    try bench.startup(tokens: startup)
                    return
                }
                report = try bench.run()
            }
            print(json ? report.json() : report.table())
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(Sysexits.dataError)
        }
    }
}

/// Measured figures: named rows of samples with a unit, plus facts about the run.
struct BenchReport {
    struct Row {
        let name: String
        let unit: String
        let samples: [Double]

        var median: Double {
            let s = samples.sorted()
            guard !s.isEmpty else { return .nan }
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
    }

    var facts: [(String, String)] = []
    var rows: [Row] = []

    func table() -> String {
        var lines = facts.map { "\($0.0): \($0.1)" }
        lines.append("measure".padding(toLength: 22, withPad: " ", startingAt: 0) + "   median      min      max  unit")
        for r in rows {
            let cells = [r.median, r.samples.min() ?? .nan, r.samples.max() ?? .nan].map { String(format: "%9.2f", $0) }
            lines.append(r.name.padding(toLength: 22, withPad: " ", startingAt: 0) + cells.joined() + "  " + r.unit)
        }
        return lines.joined(separator: "\n")
    }

    func json() -> String {
        var object: [String: Any] = [:]
        for (k, v) in facts { object[k] = v }
        var measures: [String: Any] = [:]
        // JSON has no NaN or infinity: such a figure (a zero-length timing) is written as null.
        func number(_ x: Double?) -> Any { x.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
        for r in rows {
            measures[r.name] = ["unit": r.unit, "median": number(r.median), "min": number(r.samples.min()),
                                "max": number(r.samples.max()), "samples": r.samples.map(number)]
        }
        object["measures"] = measures
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Wall-clock seconds and process facts shared by the benches.
enum BenchClock {
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Peak resident set size of this process so far, in MiB (Linux reports KiB).
    static func peakRSSMiB() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func progress(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
