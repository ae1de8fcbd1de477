import Foundation

/// Builds tokenizers from a Hugging Face folder: `tokenizer.json` (+ `tokenizer_config.json`),
/// else a SentencePiece model through libsentencepiece, else BERT's `vocab.txt`.
extension TokenizerLoader {
    public static func load(directory: String) throws(EngineError) -> any Tokenizer {
        let config = try? HFJSON.read(path: directory + "/tokenizer_config.json")
        let sentencePieceModel = ["tokenizer.model", "spiece.model", "sentencepiece.bpe.model"]
            .map { directory + "/" + $0 }.first(where: fileExists)
        if fileExists(directory + "/tokenizer.json") {
            do {
                return try load(tokenizerJSON: directory + "/tokenizer.json", config: config)
            } catch .unsupported(let why) {
                // Unigram (T5) and other models we do not run ourselves: libsentencepiece runs the
                // original model, wrapped the way tokenizer.json's post-processor says.
                guard let sentencePieceModel else { throw .unsupported(why) }
                let json = try HFJSON.read(path: directory + "/tokenizer.json")
                let (first, last) = postProcessorWrapping(json["post_processor"])
                return try SentencePieceTokenizer(modelPath: sentencePieceModel,
                                                  addBos: config?["add_bos_token"]?.boolValue ?? (first != nil),
                                                  addEos: config?["add_eos_token"]?.boolValue ?? (last != nil))
            }
        }
        if let sentencePieceModel {
            return try SentencePieceTokenizer(modelPath: sentencePieceModel,
                                              addBos: config?["add_bos_token"]?.boolValue ?? true,
                                              addEos: config?["add_eos_token"]?.boolValue ?? false)
        }
        if fileExists(directory + "/vocab.txt") {
            return try load(vocabTxt: directory + "/vocab.txt", config: config)
        }
        throw .notFound("a tokenizer (tokenizer.json, tokenizer.model or vocab.txt)", [directory])
    }

    /// BERT `vocab.txt`: one piece per line, `do_lower_case` from the config (default true).
    public static func load(vocabTxt path: String, config: HFJSON?) throws(EngineError) -> WordPieceTokenizer {
        let file = try MappedFile(path: path)
        let text = String(decoding: UnsafeRawBufferPointer(start: file.base, count: file.size), as: UTF8.self)
        var pieces = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.hasSuffix("\r") ? $0.dropLast() : $0)
        }
        if pieces.last == "" { pieces.removeLast() }
        let lower = config?["do_lower_case"]?.boolValue ?? true
        let pre = BertPreTokenizer(handleChineseChars: config?["tokenize_chinese_chars"]?.boolValue ?? true, lowercase: lower,
                                   stripAccents: config?["strip_accents"]?.boolValue ?? lower)
        let added = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].compactMap { name in
            pieces.firstIndex(of: name).map { AddedToken(content: name, id: Int32($0)) }
        }
        return try WordPieceTokenizer(pieces: pieces, preTokenizer: pre, addedTokens: added,
                                      maxLength: config?["model_max_length"]?.intValue.map { min($0, 1 << 20) } ?? 512, source: path)
    }

    public static func load(tokenizerJSON path: String, config: HFJSON?) throws(EngineError) -> any Tokenizer {
        let json = try HFJSON.read(path: path)
        guard let model = json["model"], let type = model["type"]?.stringValue else {
            throw .file(path, "no `model.type`")
        }
        guard type == "BPE" || type == "WordPiece" else { throw .unsupported("\(path): tokenizer model `\(type)`") }
        let added = (json["added_tokens"]?.arrayValue ?? []).compactMap { t -> AddedToken? in
            guard let content = t["content"]?.stringValue, let id = t["id"]?.intValue, (0..<10_000_000).contains(id) else { return nil }
            return AddedToken(content: content, id: Int32(id),
                              lstrip: t["lstrip"]?.boolValue ?? false, rstrip: t["rstrip"]?.boolValue ?? false)
        }
        let specialIds = Set((json["added_tokens"]?.arrayValue ?? []).compactMap { t -> Int32? in
            guard t["special"]?.boolValue == true, let id = t["id"]?.intValue, (0..<10_000_000).contains(id) else { return nil }
            return Int32(id)
        })
        let pieces = try vocabularyPieces(model["vocab"], added: added, path: path)
        switch type {
        case "WordPiece":
            let n = json["normalizer"]
            let lower = n?["lowercase"]?.boolValue ?? true
            let pre = BertPreTokenizer(cleanText: n?["clean_text"]?.boolValue ?? true,
                                       handleChineseChars: n?["handle_chinese_chars"]?.boolValue ?? true,
                                       lowercase: lower, stripAccents: n?["strip_accents"]?.boolValue ?? lower)
            return try WordPieceTokenizer(pieces: pieces, preTokenizer: pre, addedTokens: added,
                                          continuingPrefix: model["continuing_subword_prefix"]?.stringValue ?? "##",
                                          maxCharsPerWord: model["max_input_chars_per_word"]?.intValue ?? 100,
                                          maxLength: config?["model_max_length"]?.intValue.map { min($0, 1 << 20) } ?? 512,
                                          source: path)
        case "BPE":
            let merges = try mergePairs(model["merges"], path: path)
            var special = specialTokens(json: json, config: config, pieces: pieces, unkName: model["unk_token"]?.stringValue)
            special.control = specialIds
            for (i, p) in pieces.enumerated() where p.utf8.first == 0x3C && endOfTurnPieces.contains(p) { special.endOfTurn.insert(Int32(i)) }
            if let (pre, prefixSpace) = try byteLevelPreTokenizer(json["pre_tokenizer"], path: path) {
                guard json["normalizer"]?.isNull ?? true else {
                    throw .unsupported("\(path): a normalizer before byte-level BPE")
                }
                var pt = pre
                pt.addPrefixSpace = prefixSpace
                return try ByteLevelBPETokenizer(pieces: pieces, merges: merges, preTokenizer: pt, addedTokens: added,
                                                 ignoreMerges: model["ignore_merges"]?.boolValue ?? false,
                                                 specialTokens: special, source: path)
            }
            return try SentencePieceBPETokenizer(
                pieces: pieces, merges: merges, addedTokens: added,
                prefix: try sentencePiecePrefix(json, path: path), byteFallback: model["byte_fallback"]?.boolValue ?? false,
                fuseUnknown: model["fuse_unk"]?.boolValue ?? false, stripsLeadingSpace: decoderStripsLeadingSpace(json["decoder"]),
                specialTokens: special, source: path)
        default:
            throw .unsupported("\(path): tokenizer model `\(type)`")
        }
    }

    /// Pieces by id from `model.vocab`, with added tokens placed at their ids.
    private static func vocabularyPieces(_ vocab: HFJSON?, added: [AddedToken], path: String) throws(EngineError) -> [String] {
        guard let entries = vocab?.objectValue else { throw .file(path, "`model.vocab` is not an object") }
        var maxId = added.map { Int($0.id) }.max() ?? -1
        for (_, v) in entries { maxId = max(maxId, v.intValue ?? -1) }
        guard maxId < 10_000_000 else { throw .file(path, "vocabulary id \(maxId) is implausibly large") }
        guard maxId >= 0 else { throw .file(path, "the vocabulary is empty") }
        var pieces = [String](repeating: "", count: maxId + 1)
        for (piece, v) in entries {
            guard let id = v.intValue, id >= 0 else { throw .file(path, "vocabulary entry `\(piece)` has no valid id") }
            pieces[id] = piece
        }
        for t in added { pieces[Int(t.id)] = t.content }
        return pieces
    }

    /// `"a b"` strings (older files) or `["a", "b"]` pairs (newer files).
    private static func mergePairs(_ merges: HFJSON?, path: String) throws(EngineError) -> [(String, String)] {
        guard let list = merges?.arrayValue else { return [] }
        var out: [(String, String)] = []
        out.reserveCapacity(list.count)
        for (i, m) in list.enumerated() {
            if let s = m.stringValue {
                out.append(try splitMerge(s, index: i, source: path))
            } else if let pair = m.arrayValue, pair.count == 2, let a = pair[0].stringValue, let b = pair[1].stringValue {
                out.append((a, b))
            } else {
                throw .file(path, "merge \(i) is neither `\"a b\"` nor `[\"a\", \"b\"]`")
            }
        }
        return out
    }

    private static func fileExists(_ path: String) -> Bool { FileManager.default.isReadableFile(atPath: path) }
}
