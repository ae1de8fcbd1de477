import AlignEngine
import Synchronization

/// What a manifest records about a model loaded by this engine: its files with sizes and
/// sha256, one combined weights digest, and a digest of the tokenizer's vocabulary. Computed
/// once per loaded model (file hashes are also cached on disk by `FileDigests`).
struct LocalModelFacts: Sendable {
    var model: LoadedModel
    var files: [FileDigests.Entry]
    /// sha256 over the files' relative paths and digests (the file's own sha256 for one GGUF).
    var sha256: String?
    /// sha256 of the vocabulary pieces in id order and the special-token ids.
    var tokenizerSHA256: String
    /// Why the files could not be hashed, if they could not.
    var problem: String?

    private static let known = Mutex<[ObjectIdentifier: LocalModelFacts]>([:])

    static func of(_ model: LoadedModel) -> LocalModelFacts {
        let id = ObjectIdentifier(model)
        if let hit = known.withLock({ $0[id] }) { return hit }
        let facts = compute(model)
        known.withLock { $0[id] = facts }
        return facts
    }

    /// Every model loaded in this process, in a stable order (by id, then file).
    static var allLoaded: [LocalModelFacts] {
        ModelCache.shared.loaded
            .sorted { ($0.id, $0.file) < ($1.id, $1.file) }
            .map { of($0) }
    }

    /// The model behind a causal LM, if it was loaded through the shared cache.
    static func loaded(_ lm: CausalLanguageModel) -> LoadedModel? {
        ModelCache.shared.loaded.first { $0.causalLM === lm }
    }

    var identity: ModelIdentity {
        ModelIdentity(id: model.id, backend: "local", location: model.file, digest: sha256)
    }

    var manifest: Value {
        var r = Record()
        r["id"] = .string(model.id)
        r["source"] = .string(model.source.description)
        r["kind"] = .string(model.kindName)
        r["family"] = .string(model.family)
        r["parameters"] = .int(model.parameterCount)
        r["quantization"] = .string(model.quantization)
        r["sha256"] = sha256.map(Value.string) ?? .null
        r["files"] = .list(files.map { f in
            .record(Record([("path", .string(f.path)), ("size", .int(f.size)), ("sha256", .string(f.sha256))]))
        })
        r["tokenizer_sha256"] = .string(tokenizerSHA256)
        var options = Record()
        options["threads"] = model.options.threads.map(Value.int) ?? .null
        options["context"] = model.options.context.map(Value.int) ?? .null
        r["options"] = .record(options)
        if let problem { r["problem"] = .string(problem) }
        return .record(r)
    }

    private static func compute(_ model: LoadedModel) -> LocalModelFacts {
        let tokenizer: any Tokenizer
        switch model.kind {
        case .causalLM(let lm): tokenizer = lm.tokenizer
        case .encoder(let e): tokenizer = e.tokenizer
        case .seq2seq(let s): tokenizer = s.tokenizer
        }
        var facts = LocalModelFacts(model: model, files: [], sha256: nil, tokenizerSHA256: vocabularyDigest(tokenizer))
        do {
            let (files, digest) = try digest(model.source)
            facts.files = files
            facts.sha256 = digest
        } catch {
            facts.problem = error.description
        }
        return facts
    }

    private static func digest(_ source: ModelSource) throws(CacheError) -> ([FileDigests.Entry], String) {
        switch source {
        case .gguf(let path):
            let entry = try FileDigests.shared.digest(of: path)
            return ([entry], entry.sha256)
        case .folder(let path):
            return try folderDigest(path)
        case .adapter(let path, let base):
            let (adapterFiles, adapterDigest) = try folderDigest(path)
            let (baseFiles, baseDigest) = try digest(base)
            return (adapterFiles + baseFiles, SHA256.hex("adapter \(adapterDigest)\nbase \(baseDigest)\n"))
        }
    }

    private static func folderDigest(_ folder: String) throws(CacheError) -> ([FileDigests.Entry], String) {
        let paths = FileDigests.files(under: folder)
        guard !paths.isEmpty else { throw CacheError("no files to hash in `\(folder)`") }
        var entries: [FileDigests.Entry] = []
        var listing = ""
        for path in paths {
            let e = try FileDigests.shared.digest(of: path)
            entries.append(e)
            listing += "\(path.dropFirst(folder.count))\t\(e.sha256)\n"
        }
        return (entries, SHA256.hex(listing))
    }

    private static func vocabularyDigest(_ tokenizer: any Tokenizer) -> String {
        var hasher = SHA256.Hasher()
        func add(_ text: String) {
            var t = text
            t.withUTF8 { hasher.update(UnsafeRawBufferPointer($0)) }
        }
        for id in 0..<max(tokenizer.vocabularySize, 0) {
            let piece = tokenizer.piece(for: Int32(clamping: id))
            add(piece.map { "\($0.utf8.count):\($0)" } ?? "-")
        }
        let s = tokenizer.specialTokens
        add("bos=\(s.bos.map(String.init) ?? "-") eos=\(s.eos.map(String.init) ?? "-") pad=\(s.pad.map(String.init) ?? "-") unk=\(s.unk.map(String.init) ?? "-")")
        add(" end_of_turn=\(s.endOfTurn.sorted()) add_bos=\(s.addBos) add_eos=\(s.addEos)")
        return SHA256.hexText(hasher.finish())
    }
}
