/// Builds the tokenizer a GGUF file carries in its `tokenizer.ggml.*` metadata.
///
/// Matches: llama.cpp `llama_vocab::impl::load` (token types, pre-tokenizer names, BOS/EOS rules).
public enum TokenizerLoader {
    /// GGUF token types (`llama_token_type`).
    enum GGUFTokenType: Int {
        case undefined = 0, normal, unknown, control, userDefined, unused, byte
    }

    /// Ids llama.cpp treats as end-of-turn when the file names them.
    static let endOfTurnPieces = ["<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>"]

    public static func load(ggufMetadata m: [String: MetadataValue], source: String) throws(EngineError) -> any Tokenizer {
        let model = m["tokenizer.ggml.model"]?.stringValue ?? ""
        let tokens = try strings(m, "tokenizer.ggml.tokens", source)
        guard !tokens.isEmpty else { throw .file(source, "tokenizer.ggml.tokens is empty") }
        let types = m["tokenizer.ggml.token_type"]?.arrayValue?.map { $0.intValue ?? 1 } ?? []
        guard types.isEmpty || types.count == tokens.count else {
            throw .file(source, "tokenizer.ggml.token_type has \(types.count) entries for \(tokens.count) tokens")
        }
        func type(_ i: Int) -> GGUFTokenType { types.isEmpty ? .normal : GGUFTokenType(rawValue: types[i]) ?? .normal }
        func id(_ key: String) -> Int32? {
            guard let v = m[key]?.intValue, v >= 0, v < tokens.count else { return nil }
            return Int32(v)
        }
        var special = SpecialTokens(bos: id("tokenizer.ggml.bos_token_id"), eos: id("tokenizer.ggml.eos_token_id"),
                                    pad: id("tokenizer.ggml.padding_token_id"), unk: id("tokenizer.ggml.unknown_token_id"))
        var added: [AddedToken] = []
        for (i, t) in tokens.enumerated() {
            switch type(i) {
            case .control:
                special.control.insert(Int32(i))
                added.append(AddedToken(content: t, id: Int32(i)))
            case .userDefined: added.append(AddedToken(content: t, id: Int32(i)))
            default: break
            }
            // Every end-of-turn name starts with `<`; testing that byte first skips ~all tokens.
            if t.utf8.first == 0x3C, endOfTurnPieces.contains(t) { special.endOfTurn.insert(Int32(i)) }
        }
        if let eot = id("tokenizer.ggml.eot_token_id") { special.endOfTurn.insert(eot) }
        special.addEos = m["tokenizer.ggml.add_eos_token"] == .bool(true)

        switch model {
        case "gpt2":
            let pre = m["tokenizer.ggml.pre"]?.stringValue ?? "default"
            guard let (preTokenizer, ignoreMerges, addsBos) = preTokenizer(named: pre) else {
                throw .unsupported("\(source): pre-tokenizer `\(pre)` (tokenizer.ggml.pre)")
            }
            if case .bool(let b)? = m["tokenizer.ggml.add_bos_token"] { special.addBos = b } else { special.addBos = addsBos }
            return try ByteLevelBPETokenizer(pieces: tokens, mergeLines: try strings(m, "tokenizer.ggml.merges", source),
                                             preTokenizer: preTokenizer, addedTokens: added,
                                             ignoreMerges: ignoreMerges, specialTokens: special, source: source)
        case "llama":
            special.addBos = m["tokenizer.ggml.add_bos_token"] != .bool(false)
            let scores = m["tokenizer.ggml.scores"]?.arrayValue?.map { Float($0.doubleValue ?? 0) } ?? []
            guard scores.count == tokens.count else {
                throw .file(source, "tokenizer.ggml.scores has \(scores.count) entries for \(tokens.count) tokens")
            }
            return SentencePieceScoreTokenizer(pieces: tokens, scores: scores, byteTokens: (0..<tokens.count).filter { type($0) == .byte },
                                               addedTokens: added, addSpacePrefix: m["tokenizer.ggml.add_space_prefix"] != .bool(false),
                                               specialTokens: special)
        default:
            throw .unsupported("\(source): tokenizer model `\(model)` (tokenizer.ggml.model)")
        }
    }

    /// llama.cpp's `tokenizer.ggml.pre` names → splitting rules, whether whole-word vocabulary hits
    /// skip merging, and whether BOS is added when the file does not say.
    static func preTokenizer(named name: String) -> (PreTokenizer, ignoreMerges: Bool, addsBos: Bool)? {
        switch name {
        case "default", "gpt-2", "gpt2", "phi-2", "jina-es", "jina-de", "roberta-bpe":
            return (PreTokenizer(pattern: .gpt2), false, false)
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva":
            return (PreTokenizer(individualDigits: true, pattern: .gpt2), false, false)
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral":
            return (PreTokenizer(pattern: .llama3(maxDigits: 3)), true, true)
        case "qwen2", "deepseek-r1-qwen", "stablelm2":
            return (PreTokenizer(pattern: .llama3(maxDigits: 1)), false, false)
        default:
            return nil
        }
    }

    static func splitMerge(_ line: String, index: Int, source: String) throws(EngineError) -> (String, String) {
        guard let space = line.firstIndex(of: " ") else {
            throw .file(source, "merge \(index) `\(line)` is not two pieces separated by a space")
        }
        return (String(line[..<space]), String(line[line.index(after: space)...]))
    }

    private static func strings(_ m: [String: MetadataValue], _ key: String, _ source: String) throws(EngineError) -> [String] {
        guard let array = m[key]?.arrayValue else { throw .file(source, "missing \(key)") }
        var out: [String] = []
        out.reserveCapacity(array.count)
        for (i, v) in array.enumerated() {
            guard let s = v.stringValue else { throw .file(source, "\(key)[\(i)] is not a string") }
            out.append(s)
        }
        return out
    }
}
