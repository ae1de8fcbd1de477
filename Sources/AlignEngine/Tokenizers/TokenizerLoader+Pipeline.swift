/// Reading the pipeline parts of a `tokenizer.json` (normalizer, pre-tokenizer, post-processor,
/// decoder) into the few shapes real checkpoints use; anything else is reported as unsupported
/// rather than tokenized differently from the reference.
extension TokenizerLoader {
    static let gpt2Regex = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    static let llama3Regex = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let qwen2Regex = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The byte-level pre-tokenizer and its `add_prefix_space`, or nil when the pipeline is not
    /// byte-level (SentencePiece-style BPE).
    static func byteLevelPreTokenizer(_ json: HFJSON?, path: String) throws(EngineError) -> (PreTokenizer, Bool)? {
        guard let json, !json.isNull else { return nil }
        let parts = json["type"]?.stringValue == "Sequence" ? (json["pretokenizers"]?.arrayValue ?? []) : [json]
        guard parts.contains(where: { $0["type"]?.stringValue == "ByteLevel" }) else { return nil }
        var pre = PreTokenizer(pattern: nil)
        var prefixSpace = false
        for part in parts {
            switch part["type"]?.stringValue {
            case "ByteLevel":
                prefixSpace = part["add_prefix_space"]?.boolValue ?? false
                if part["use_regex"]?.boolValue ?? true {
                    guard pre.pattern == nil else { throw .unsupported("\(path): two splitting regexes") }
                    pre.pattern = .gpt2
                }
            case "Digits":
                guard part["individual_digits"]?.boolValue == true else {
                    throw .unsupported("\(path): Digits pre-tokenizer without individual_digits")
                }
                pre.individualDigits = true
            case "Split":
                let regex = part["pattern"]?["Regex"]?.stringValue ?? part["pattern"]?["String"]?.stringValue ?? ""
                guard pre.pattern == nil, part["behavior"]?.stringValue == "Isolated", part["invert"]?.boolValue != true else {
                    throw .unsupported("\(path): Split pre-tokenizer `\(regex)`")
                }
                switch regex {
                case gpt2Regex: pre.pattern = .gpt2
                case llama3Regex: pre.pattern = .llama3(maxDigits: 3)
                case qwen2Regex: pre.pattern = .llama3(maxDigits: 1)
                default: throw .unsupported("\(path): Split pre-tokenizer regex `\(regex)`")
                }
            default:
                throw .unsupported("\(path): pre-tokenizer `\(part["type"]?.stringValue ?? "?")` with byte-level BPE")
            }
        }
        return (pre, prefixSpace)
    }

    /// Where SentencePiece-style BPE puts its `▁` prefix: the legacy `Prepend` normalizer or Metaspace.
    static func sentencePiecePrefix(_ json: HFJSON, path: String) throws(EngineError) -> SentencePieceBPETokenizer.Prefix {
        if let n = json["normalizer"], !n.isNull {
            let parts = n["type"]?.stringValue == "Sequence" ? (n["normalizers"]?.arrayValue ?? []) : [n]
            var prefix = SentencePieceBPETokenizer.Prefix.never
            for part in parts {
                switch part["type"]?.stringValue {
                case "Prepend" where part["prepend"]?.stringValue == SentencePieceBytes.spaceMark: prefix = .everySegment
                case "Replace" where part["pattern"]?["String"]?.stringValue == " "
                    && part["content"]?.stringValue == SentencePieceBytes.spaceMark: break
                default: throw .unsupported("\(path): normalizer `\(part["type"]?.stringValue ?? "?")`")
                }
            }
            return prefix
        }
        guard let pre = json["pre_tokenizer"], !pre.isNull else { return .never }
        guard pre["type"]?.stringValue == "Metaspace", pre["split"]?.boolValue != true,
              pre["replacement"]?.stringValue ?? SentencePieceBytes.spaceMark == SentencePieceBytes.spaceMark else {
            throw .unsupported("\(path): pre-tokenizer `\(pre["type"]?.stringValue ?? "?")` with SentencePiece-style BPE")
        }
        switch pre["prepend_scheme"]?.stringValue ?? (pre["add_prefix_space"]?.boolValue == false ? "never" : "always") {
        case "first": return .first
        case "never": return .never
        default: return .always
        }
    }

    /// Whether the decoder ends with `Strip(" ", 1, 0)` (or Metaspace's own prefix removal).
    static func decoderStripsLeadingSpace(_ json: HFJSON?) -> Bool {
        guard let json, !json.isNull else { return false }
        let parts = json["type"]?.stringValue == "Sequence" ? (json["decoders"]?.arrayValue ?? []) : [json]
        return parts.contains { p in
            (p["type"]?.stringValue == "Strip" && p["start"]?.intValue == 1)
                || (p["type"]?.stringValue == "Metaspace" && p["prepend_scheme"]?.stringValue != "never")
        }
    }

    /// BOS/EOS/PAD/UNK from `tokenizer_config.json` names and the post-processor's template; the
    /// config's `add_bos_token`/`add_eos_token` win when given (transformers does the same).
    static func specialTokens(json: HFJSON, config: HFJSON?, pieces: [String], unkName: String?) -> SpecialTokens {
        func id(_ name: String?) -> Int32? { name.flatMap { n in pieces.firstIndex(of: n).map { Int32($0) } } }
        func configName(_ key: String) -> String? {
            config?[key]?.stringValue ?? config?[key]?["content"]?.stringValue
        }
        var special = SpecialTokens(bos: id(configName("bos_token")), eos: id(configName("eos_token")),
                                    pad: id(configName("pad_token")), unk: id(unkName ?? configName("unk_token")))
        let (first, last) = postProcessorWrapping(json["post_processor"])
        if let first {
            special.bos = special.bos ?? first.id ?? id(first.name)
            special.addBos = true
        }
        if let last {
            special.eos = special.eos ?? last.id ?? id(last.name)
            special.addEos = true
        }
        if let b = config?["add_bos_token"]?.boolValue { special.addBos = b }
        if let e = config?["add_eos_token"]?.boolValue { special.addEos = e }
        return special
    }

    /// The special tokens a single-sequence post-processor puts before and after the text:
    /// `TemplateProcessing` (`<s> $A`, `$A </s>`), `RobertaProcessing`/`BertProcessing` (cls … sep).
    static func postProcessorWrapping(_ p: HFJSON?) -> (first: (name: String, id: Int32?)?, last: (name: String, id: Int32?)?) {
        guard let p, !p.isNull else { return (nil, nil) }
        func pair(_ v: HFJSON?) -> (name: String, id: Int32?)? {
            guard let a = v?.arrayValue, let name = a.first?.stringValue else { return nil }
            return (name, a.count > 1 ? a[1].intValue.map { Int32(truncatingIfNeeded: $0) } : nil)
        }
        switch p["type"]?.stringValue {
        case "RobertaProcessing", "BertProcessing":
            return (pair(p["cls"]), pair(p["sep"]))
        case "TemplateProcessing":
            var first: (name: String, id: Int32?)?, last: (name: String, id: Int32?)?
            var seenSequence = false
            for item in p["single"]?.arrayValue ?? [] {
                if item["Sequence"] != nil { seenSequence = true; continue }
                guard let name = item["SpecialToken"]?["id"]?.stringValue else { continue }
                let id = p["special_tokens"]?[name]?["ids"]?.arrayValue?.first?.intValue.map { Int32(truncatingIfNeeded: $0) }
                if seenSequence { last = (name, id) } else { first = (name, id) }
            }
            return (first, last)
        case "Sequence":
            for part in p["processors"]?.arrayValue ?? [] {
                let w = postProcessorWrapping(part)
                if w.first != nil || w.last != nil { return w }
            }
            return (nil, nil)
        default:
            return (nil, nil)
        }
    }
}
