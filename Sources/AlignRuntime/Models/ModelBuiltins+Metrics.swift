import AlignEngine
import AlignMetrics
import AlignSyntax

/// The metrics as values: each metric is a built-in `metric(predictions, references)`, so
/// `score(rouge, preds, refs)` names it unquoted and `rouge(preds, refs)` also works.
extension ModelBuiltins {
    /// Metric names `score` accepts, in `:help` order.
    static let metricNames = ["bleu", "sacrebleu", "rouge", "bertscore", "accuracy", "weighted_f1", "micro_f1", "macro_f1"]

    static var metrics: [Builtin] {
        let pair: [Builtin.Parameter] = [.init("predictions"), .init("references")]
        var list: [Builtin] = [
            Builtin("score", [.init("metric"), .init("predictions"), .init("references")],
                    doc: "Scores predictions against references with a metric: \(metricNames.joined(separator: ", ")). `score(rouge, study.after, study.gold)`") { call in
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
                return try compute(name, call, predictions: 1, references: 2)
            },
        ]
        let docs = [
            "bleu": "Corpus BLEU in 0…1 (HF `evaluate` bleu, 13a tokens, no smoothing).",
            "sacrebleu": "sacreBLEU corpus score in 0…100 (exponential smoothing).",
            "rouge": "Mean ROUGE-1/2/L F-measures as a record {rouge1, rouge2, rougeL} (rouge_score, no stemming).",
            "bertscore": "Mean BERTScore {precision, recall, f1} with MiniLM's last layer unless `model` is given.",
            "accuracy": "Share of labels predicted exactly.",
            "weighted_f1": "F1 averaged over labels weighted by support (scikit-learn `average='weighted'`).",
            "micro_f1": "Micro-averaged F1 (scikit-learn `average='micro'`).",
            "macro_f1": "Unweighted mean of per-label F1 (scikit-learn `average='macro'`).",
        ]
        for name in metricNames {
            let parameters = name == "bertscore" ? pair + [.init("model", optional: true)] : pair
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
                let encoder = try bertScoreEncoder(call, modelArgument: p == 0 ? 2 : nil)
                let result = try BERTScore.score(predictions: predictions, references: references,
                                                 embedder: EncoderTokenEmbedder(encoder: encoder))
                return .record(Record([("precision", .float(result.mean.precision)), ("recall", .float(result.mean.recall)),
                                       ("f1", .float(result.mean.f1))]))
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
    static func bertScoreEncoder(_ call: BuiltinCall, modelArgument: Int?) throws -> EncoderModel {
        if let i = modelArgument, i < call.arguments.count, call.arguments[i] != nil, call.arguments[i] != .null {
            return try call.encoder(i, "model").1
        }
        let m = try call.engine { () throws(EngineError) in try ModelCache.shared.model("minilm") }
        guard let e = m.encoder else { throw call.error("the default BERTScore model is not an encoder") }
        return e
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
