import AlignEngine
import AlignSyntax

/// `tokens`, `detokenize` and `logprob`: the tokenizer and the model's scores, for inspection
/// and likelihood-based evaluation.
extension ModelBuiltins {
    static var tokens: [Builtin] {
        [
            Builtin("tokens", [.init("model"), .init("text")],
                    doc: "Token ids of `text` with the model's special-token rules (BOS when it adds one). `tokens(lm, \"Hello\")`") { call in
                let m = try call.model(0, "model")
                let text = try call.string(1, "text")
                let ids: [Int32] = switch m.kind {
                case .causalLM(let lm): lm.encode(text)
                case .encoder(let e): e.tokenizer.encode(text, addSpecial: true)
                case .seq2seq(let s): s.encode(text)
                }
                return .list(ids.map { .int(Int($0)) })
            },
            Builtin("detokenize", [.init("model"), .init("ids")],
                    doc: "Text of a list of token ids, control tokens dropped. `detokenize(lm, [504, 3575])`") { call in
                let m = try call.model(0, "model")
                let items = try call.list(1, "ids")
                var ids: [Int32] = []
                for (k, item) in items.enumerated() {
                    guard case .int(let n) = item, let id = Int32(exactly: n) else {
                        throw call.error(argument: 1, "token ids must be integers; element \(k) is \(item.reprString.prefix(40))")
                    }
                    ids.append(id)
                }
                let tokenizer: any Tokenizer = switch m.kind {
                case .causalLM(let lm): lm.tokenizer
                case .encoder(let e): e.tokenizer
                case .seq2seq(let s): s.tokenizer
                }
                if let bad = ids.first(where: { $0 < 0 || Int($0) >= tokenizer.vocabularySize }) {
                    throw call.error(argument: 1, "token id \(bad) is outside the vocabulary (0..<\(tokenizer.vocabularySize))")
                }
                return .string(tokenizer.decode(ids, skipSpecial: true))
            },
            Builtin("logprob", [.init("model"), .init("context"), .init("continuation")],
                    doc: "Log-probability of `continuation` after `context`: a record {total, mean, tokens}. `logprob(lm, \"The capital of France is\", \" Paris\")`") { call in
                let context = try call.string(1, "context"), continuation = try call.string(2, "continuation")
                let result: LogProbability
                if let client = call.remoteModel(0) {
                    result = try call.remote { () throws(RemoteError) in
                        try client.logProbability(context: context, continuation: continuation)
                    }
                } else if let s2s = call.seq2seqModel(0)?.model {
                    result = try call.engine { () throws(EngineError) in try s2s.logProbability(source: context, target: continuation) }
                } else {
                    let (_, lm) = try call.causalLM(0, "model")
                    result = try call.engine { () throws(EngineError) in
                        try lm.logProbability(context: context, continuation: continuation)
                    }
                }
                return .record(Record([("total", .float(result.total)), ("mean", .float(result.mean)),
                                       ("tokens", .floats(result.tokens))]))
            },
        ]
    }
}
