import AlignEngine
import AlignSyntax

/// `align(aligner, query, answer, objectives, family:, max_tokens:, seed:)`: the MetaAligner edit
/// request, generated with the aligner's defaults (greedy unless its generation config samples)
/// and decoded without special tokens, as the seed's inference does.
extension ModelBuiltins {
    /// The seed's `max_new_tokens`.
    static let alignMaxTokens = 1024

    static var alignment: [Builtin] {
        [
            Builtin("align", [.init("aligner"), .init("query"), .init("answer"), .init("objectives"),
                              .init("family", optional: true), .init("max_tokens", optional: true), .init("seed", optional: true)],
                    doc: "The aligner's edit of `answer` toward `objectives` (MetaAligner prompt, exact). `family` is a prompt family from `metaaligner` (default: inferred from the aligner's name, else hh_rlhf). `align(lm, q, a, [objectives.harmlessness], max_tokens: 64)`") { call in
                if let client = call.remoteModel(0) {
                    let request = try alignerPrompt(call, alignerNames: [client.endpoint.modelName, client.endpoint.baseURL])
                    let maxTokens = try call.optionalInt(5, "max_tokens") ?? alignMaxTokens
                    guard maxTokens >= 0 else { throw call.error(argument: 5, "`max_tokens` must be >= 0, got \(maxTokens)") }
                    let sampling = RemoteSampling(maxTokens: maxTokens, seed: try seed(call, 6))
                    return .string(try ModelCallLog.shared.remoteCompletions(call, client, [request], sampling: sampling).first ?? "")
                }
                let (m, lm) = try call.causalLM(0, "aligner")
                let request = try alignerPrompt(call, alignerNames: [m.id, m.file])
                let ids = lm.encode(request)
                let room = max(lm.contextLength - ids.count, 0)
                let maxTokens = try call.optionalInt(5, "max_tokens") ?? min(alignMaxTokens, room)
                guard maxTokens >= 0 else { throw call.error(argument: 5, "`max_tokens` must be >= 0, got \(maxTokens)") }
                let sampler = lm.defaultSampler(seed: try seed(call, 6))
                // Through the call log: recorded in the run manifest and served from the result cache.
                return .string(try ModelCallLog.shared.generate(call, lm, [ids], sampler: sampler, maxTokens: maxTokens, stop: []).first ?? "")
            },
        ]
    }

    /// The edit request text for the call's query, answer, objectives and family; with no family
    /// given it is inferred from the first of `alignerNames` (id, file or served name) that names one.
    static func alignerPrompt(_ call: BuiltinCall, alignerNames: [String]) throws -> String {
        let question = cellText(try call.argument(1))
        let answer = cellText(try call.argument(2))
        let aspects = try objectiveTexts(call, 3)
        let family = call.arguments.count > 4 ? call.arguments[4] ?? .null : .null
        switch family {
        case .null:
            let inferred = alignerNames.lazy.compactMap(MetaAlignerFamily.inferred(from:)).first ?? .hhRLHF
            return inferred.prompt(aspects: aspects, question: question, answer: answer)
        case .string(let name):
            guard let known = MetaAlignerFamily(rawValue: name) else {
                let names = MetaAlignerFamily.allCases.map(\.rawValue)
                throw call.error(argument: 4, "unknown prompt family '\(name)'", help: Builtins.didYouMean(name, among: names)
                                 ?? "families: \(names.joined(separator: ", "))")
            }
            return known.prompt(aspects: aspects, question: question, answer: answer)
        case .function:
            let rendered = try call.apply(family, [.string(aspects), .string(question), .string(answer)])
            guard case .string(let text) = rendered else {
                throw call.error(argument: 4, "the prompt family must return a string, but returned \(rendered.typeName)")
            }
            return text
        default:
            throw call.typeError(4, "family", expected: "a prompt family (hh_rlhf, ultrafeedback, imhi from metaaligner)", found: family)
        }
    }

    /// A query or answer cell as the seed formats it: `str()` of the cell, so an empty CSV cell
    /// (pandas NaN, our `null`) becomes `nan`.
    static func cellText(_ v: Value) -> String {
        switch v {
        case .null: "nan"
        case .float(let d) where d.isNaN: "nan"
        default: v.displayString
        }
    }

    /// The objectives as the aligner sees them: each objective's text (or a string as written),
    /// joined by "; " in the order given.
    static func objectiveTexts(_ call: BuiltinCall, _ i: Int) throws -> String {
        let v = try call.argument(i)
        let items: [Value]
        switch v {
        case .list(let l): items = l
        case .objective, .string: items = [v]
        default: throw call.typeError(i, "objectives", expected: "an objective or a list of objectives", found: v)
        }
        guard !items.isEmpty else { throw call.error(argument: i, "`objectives` must not be empty") }
        return try items.enumerated().map { k, item in
            switch item {
            case .objective(let o): return o.text
            case .string(let s): return s
            default: throw call.error(argument: i, "`objectives` must hold objectives or strings, but element \(k) is \(item.typeName)")
            }
        }.joined(separator: "; ")
    }
}
