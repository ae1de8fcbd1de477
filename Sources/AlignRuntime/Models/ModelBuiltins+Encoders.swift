import Foundation
import AlignEngine
import AlignSyntax

/// `embed`, `classify` and `probs` on BERT-style encoders. A classifier checkpoint uses its head;
/// a sentence encoder classifies zero-shot, choosing the label whose embedding is closest (cosine)
/// to the text's.
extension ModelBuiltins {
    static var encoders: [Builtin] {
        [
            Builtin("embed", [.init("model"), .init("text")],
                    doc: "Sentence embedding of a text (a list of floats), or one per text of a list. `embed(model(\"minilm\"), \"hello\")`") { call in
                let (_, e) = try call.encoder(0, "model")
                let (texts, isList) = try call.textOrList(1, "text")
                let vectors = try call.engine { () throws(EngineError) in try e.embed(texts) }
                return isList ? .list(vectors.map(Value.floats)) : Value.floats(vectors.first ?? [])
            },
            Builtin("classify", [.init("classifier"), .init("text"), .init("labels", optional: true)],
                    doc: "The most likely label of a text (or each text of a list). With `labels`, chooses among those; a sentence encoder then classifies zero-shot by embedding similarity. `classify(clf, post)`") { call in
                let (m, e) = try call.encoder(0, "classifier")
                let (texts, isList) = try call.textOrList(1, "text")
                let chosen = try labelChoice(call, 2, e)
                let distributions = try distributions(call, m, e, texts, labels: chosen)
                let names = try chosen ?? call.engine { () throws(EngineError) in try e.labels() }
                let picks: [Value] = distributions.map { p in
                    let best = p.indices.max { p[$0] < p[$1] } ?? 0
                    return .string(best < names.count ? names[best] : "")
                }
                return isList ? .list(picks) : (picks.first ?? .null)
            },
            Builtin("probs", [.init("classifier"), .init("text"), .init("labels", optional: true)],
                    doc: "The classifier's probability of every label for a text: a record label → probability. `probs(clf, post)`") { call in
                let (m, e) = try call.encoder(0, "classifier")
                let text = try call.string(1, "text")
                let chosen = try labelChoice(call, 2, e)
                let p = try distributions(call, m, e, [text], labels: chosen).first ?? []
                let names = try chosen ?? call.engine { () throws(EngineError) in try e.labels() }
                return .record(Record(zip(names, p).map { ($0, .float($1)) }))
            },
        ]
    }

    /// The `labels` argument: a non-empty list of distinct strings; with a classifier head each
    /// must be one of its labels.
    static func labelChoice(_ call: BuiltinCall, _ i: Int, _ e: EncoderModel) throws -> [String]? {
        guard i < call.arguments.count, let v = call.arguments[i], v != .null else { return nil }
        let (labels, _) = try call.textOrList(i, "labels")
        guard !labels.isEmpty else { throw call.error(argument: i, "`labels` must not be empty") }
        guard Set(labels).count == labels.count else { throw call.error(argument: i, "`labels` has duplicates") }
        if let known = e.classifier?.labels {
            for label in labels where !known.contains(label) {
                throw call.error(argument: i, "unknown label '\(label)'; this classifier's labels are \(known.joined(separator: ", "))",
                                 help: Builtins.didYouMean(label, among: known))
            }
        }
        return labels
    }

    /// Probabilities over `labels` (or all of the head's labels) for each text. Without a head,
    /// a softmax over cosine similarities to the label texts' embeddings (scaled by 100, as CLIP-style
    /// zero-shot scoring does) — a ranking aid, not a calibrated probability.
    static func distributions(_ call: BuiltinCall, _ m: LoadedModel, _ e: EncoderModel, _ texts: [String],
                              labels: [String]?) throws -> [[Double]] {
        if let head = e.classifier {
            let all = try call.engine { () throws(EngineError) in try e.probabilities(texts) }
            guard let labels else { return all }
            let columns = labels.compactMap { head.labels.firstIndex(of: $0) }
            return all.map { row in
                let picked = columns.map { row[$0] }
                let sum = picked.reduce(0, +)
                return picked.map { sum > 0 ? $0 / sum : 0 }
            }
        }
        guard let labels else {
            throw call.error(argument: 0, "\(m.id) is a \(m.kindName) without a classification head",
                             help: "pass candidate labels to classify zero-shot: classify(model, text, [\"yes\", \"no\"])")
        }
        let vectors = try call.engine { () throws(EngineError) in try e.embed(texts + labels) }
        let labelVectors = Array(vectors.suffix(labels.count))
        return vectors.prefix(texts.count).map { v in
            let scores = labelVectors.map { 100 * cosine(v, $0) }
            let top = scores.max() ?? 0
            let exps = scores.map { Foundation.exp($0 - top) }
            let sum = exps.reduce(0, +)
            return exps.map { $0 / sum }
        }
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        let norm = (na * nb).squareRoot()
        return norm > 0 ? dot / norm : 0
    }
}
