import AlignEngine
import AlignMetrics
import AlignSyntax
import Foundation
import Synchronization

/// The metrics as values: each metric is a built-in `metric(predictions, references)`, so
/// `score(rouge, preds, refs)` names it unquoted and `rouge(preds, refs)` also works.
extension ModelBuiltins {
    /// Metric names `score` accepts, in `:help` order.
    static let metricNames = ["bleu", "sacrebleu", "rouge", "bertscore", "bartscore", "gptscore",
                              "accuracy", "weighted_f1", "micro_f1", "macro_f1"]
    /// Metrics that take a `model` argument (after predictions and references).
    static let modelMetrics: Set<String> = ["bertscore", "bartscore", "gptscore"]

    static var metrics: [Builtin] {
        let pair: [Builtin.Parameter] = [.init("predictions"), .init("references")]
        var list: [Builtin] = [
            Builtin("score", [.init("metric"), .init("predictions"), .init("references"), .init("model", optional: true)],
                    doc: "Scores predictions against references with a metric: \(metricNames.joined(separator: ", ")); `model` is passed to bertscore, bartscore and gptscore. `score(rouge, study.after, study.gold)`") { call in
                let name: String
                switch try call.argument(0) {
                case .function(let f as Builtin) where metricNames.contains(f.name): name = f.name
                case .string(let s) where metricNames.contains(s): name = s
                case .string(let s):
                    throw call.error(argument: 0, "unknown metric '\(s)'", help: Builtins.didYouMean(s, among: metricNames)
                                     ?? "metrics: \(metricNames.joined(separator: ", "))")
                case let v:
                    throw call.typeError(0, "metric", expected: "a metric (\(metricNames.joined(separator: ", ")))", found: v)
                }
                if !modelMetrics.contains(name), call.arguments.count > 3, let m = call.arguments[3], m != .null {
                    throw call.error(argument: 3, "`\(name)` takes no model")
                }
                return try compute(name, call, predictions: 1, references: 2)
            },
        ]
        let docs = [
            "bleu": "Corpus BLEU in 0…1 (HF `evaluate` bleu, 13a tokens, no smoothing).",
            "sacrebleu": "sacreBLEU corpus score in 0…100 (exponential smoothing).",
            "rouge": "Mean ROUGE-1/2/L F-measures as a record {rouge1, rouge2, rougeL} (rouge_score, no stemming).",
            "bertscore": "Mean BERTScore {precision, recall, f1} with MiniLM's last layer unless `model` is given; `idf: true` weighs tokens by idf over the references (bert_score 0.3.12).",
            "bartscore": "BARTScore: mean over pairs of the mean log-probability of the reference's tokens given the prediction, under the BART checkpoint folder `model` (the seed used bart-large-cnn with ParaBank2 weights).",
            "gptscore": "Mean over pairs of the mean log-probability of the reference's tokens after `prediction + \"\\n\"` under a causal LM (`model`, default smollm2).",
            "accuracy": "Share of labels predicted exactly.",
            "weighted_f1": "F1 averaged over labels weighted by support (scikit-learn `average='weighted'`).",
            "micro_f1": "Micro-averaged F1 (scikit-learn `average='micro'`).",
            "macro_f1": "Unweighted mean of per-label F1 (scikit-learn `average='macro'`).",
        ]
        for name in metricNames {
            let parameters: [Builtin.Parameter] = switch name {
            case "bertscore": pair + [.init("model", optional: true), .init("idf", optional: true)]
            case "bartscore", "gptscore": pair + [.init("model", optional: true)]
            default: pair
            }
            list.append(Builtin(name, parameters, doc: (docs[name] ?? "") + " `score(\(name), predictions, references)`") { call in
                try compute(name, call, predictions: 0, references: 1)
            })
        }
        return list
    }

    /// Runs metric `name` on the call's arguments at `p` and `r` (a string counts as a one-item list).
    static func compute(_ name: String, _ call: BuiltinCall, predictions p: Int, references r: Int) throws -> Value {
        let predictions = try metricTexts(call, p, "predictions")
        let references = try metricTexts(call, r, "references")
        do {
            switch name {
            case "bleu": return .float(try BLEU.corpus(predictions: predictions, references: references).score)
            case "sacrebleu": return .float(try SacreBLEU.corpus(predictions: predictions, references: references).score)
            case "rouge":
                let result = try ROUGE.score(predictions: predictions, references: references)
                return .record(Record([("rouge1", .float(result.rouge1.fMeasure)), ("rouge2", .float(result.rouge2.fMeasure)),
                                       ("rougeL", .float(result.rougeL.fMeasure))]))
            case "bertscore":
                let encoder = try bertScoreEncoder(call, modelArgument: p + 2)
                let idf = p == 0 ? try call.bool(3, "idf", default: false) : false
                let result = try BERTScore.score(predictions: predictions, references: references,
                                                 embedder: EncoderTokenEmbedder(encoder: encoder), idf: idf)
                return .record(Record([("precision", .float(result.mean.precision)), ("recall", .float(result.mean.recall)),
                                       ("f1", .float(result.mean.f1))]))
            case "bartscore":
                let scorer = try bartScorer(call, modelArgument: p + 2)
                return .float(try BARTScore.score(predictions: predictions, references: references, scorer: scorer).mean)
            case "gptscore":
                let scorer = CausalLMScorer(model: try gptScoreModel(call, modelArgument: p + 2))
                return .float(try GPTScore.score(predictions: predictions, references: references, scorer: scorer).mean)
            case "accuracy": return .float(try Classification.accuracy(trueLabels: references, predicted: predictions))
            case "weighted_f1": return .float(try Classification.weightedF1(trueLabels: references, predicted: predictions))
            case "micro_f1": return .float(try Classification.microF1(trueLabels: references, predicted: predictions))
            default: return .float(try Classification.macroF1(trueLabels: references, predicted: predictions))
            }
        } catch let d as Diagnostic {
            throw d
        } catch let e as EngineError {
            throw call.error(e.description)
        } catch {
            throw call.error(String(describing: error))
        }
    }

    /// The encoder BERTScore runs: the `model` argument, else the built-in MiniLM.
    static func bertScoreEncoder(_ call: BuiltinCall, modelArgument i: Int) throws -> EncoderModel {
        if hasArgument(call, i) {
            return try call.encoder(i, "model").1
        }
        let m = try call.engine { () throws(EngineError) in try ModelCache.shared.model("minilm") }
        guard let e = m.encoder else { throw call.error("the default BERTScore model is not an encoder") }
        return e
    }

    static func hasArgument(_ call: BuiltinCall, _ i: Int) -> Bool {
        i < call.arguments.count && call.arguments[i] != nil && call.arguments[i] != .null
    }

    /// The causal LM GPTScore runs: the `model` argument, else the default `smollm2`.
    static func gptScoreModel(_ call: BuiltinCall, modelArgument i: Int) throws -> CausalLanguageModel {
        if hasArgument(call, i) { return try call.causalLM(i, "model").1 }
        let m = try call.engine { () throws(EngineError) in try ModelCache.shared.model("smollm2") }
        guard let lm = m.causalLM else { throw call.error("the default GPTScore model is not a causal LM") }
        return lm
    }

    /// The BART checkpoint BARTScore runs, from the folder path given as `model` (loaded once per
    /// process). There is no default: the seed's bart-large-cnn + ParaBank2 weights are not bundled.
    static func bartScorer(_ call: BuiltinCall, modelArgument i: Int) throws -> BARTScorer {
        guard hasArgument(call, i) else {
            throw call.error("bartscore needs a BART checkpoint folder as `model`",
                             help: "e.g. score(bartscore, preds, refs, \"models/bart-large-cnn\")")
        }
        guard case .string(let folder) = try call.argument(i) else {
            throw call.typeError(i, "model", expected: "the path of a BART checkpoint folder", found: try call.argument(i))
        }
        return try call.engine { () throws(EngineError) in try BARTScorer.load(folder: folder) }
    }

    /// Predictions or references as texts: strings as they are, `null` (an empty CSV cell) as "",
    /// numbers and bools as they print (class labels read from files).
    static func metricTexts(_ call: BuiltinCall, _ i: Int, _ name: String) throws -> [String] {
        let v = try call.argument(i)
        let items: [Value]
        switch v {
        case .list(let l): items = l
        case .string: items = [v]
        default: throw call.typeError(i, name, expected: "a list of strings", found: v)
        }
        return try items.enumerated().map { k, item in
            switch item {
            case .string(let s): return s
            case .null: return ""
            case .int, .float, .bool: return item.displayString
            default:
                throw call.error(argument: i, "`\(name)` must hold strings, but element \(k) is \(item.typeName)")
            }
        }
    }
}

/// GPTScore's model side: log p(reference | prediction) under a causal LM.
///
/// The prompt is `prediction + "\n"` and the scored continuation is `reference`, encoded whole so
/// a token spanning the boundary is scored as the model would produce it (lm-evaluation-harness
/// `_encode_pair`, as `logprob` does); no chat template, BOS only if the tokenizer adds one.
struct CausalLMScorer: SequenceScorer {
    let model: CausalLanguageModel

    func targetLogProbabilities(source: String, target: String) throws -> [Double] {
        try model.logProbability(context: source + "\n", continuation: target).tokens
    }
}

/// BARTScore's model side over the engine's BART: both texts encoded with `<s> … </s>`, cut to
/// min(1024, the checkpoint's positions) keeping the final `</s>`, every target token scored.
/// Matches: BARTScore `BARTScorer.score` (`max_length=1024, truncation=True`, labels = target ids,
/// loss over all non-pad target tokens).
struct BARTScorer: SequenceScorer, Sendable {
    let model: BartModel
    let tokenizer: any Tokenizer

    private static let loaded = Mutex<[String: BARTScorer]>([:])

    static func load(folder: String) throws(EngineError) -> BARTScorer {
        let key = (folder as NSString).standardizingPath
        if let hit = loaded.withLock({ $0[key] }) { return hit }
        let scorer = BARTScorer(model: try BartModel(folder: key), tokenizer: try TokenizerLoader.load(directory: key))
        loaded.withLock { $0[key] = scorer }
        return scorer
    }

    func ids(_ text: String) -> [Int32] {
        let ids = tokenizer.encode(text, addSpecial: true)
        let limit = min(1024, model.config.maxPositions)
        guard ids.count > limit, let last = ids.last else { return ids }
        return Array(ids.prefix(limit - 1)) + [last]
    }

    func targetLogProbabilities(source: String, target: String) throws -> [Double] {
        try model.tokenLogLikelihoods(source: ids(source), target: ids(target)).map(Double.init)
    }
}
