import Synchronization

/// The process-wide set of loaded models, so `model("smollm2")` in every cell, run row or module
/// maps the weights once. Keyed by where the weights are and the load options.
public final class ModelCache: Sendable {
    public static let shared = ModelCache()

    private struct Key: Hashable {
        let source: String
        let options: ModelLoadOptions
    }

    private let models = Mutex<[Key: LoadedModel]>([:])
    /// Loads take turns, so two threads asking for one model do not both read it.
    private let loading = Mutex<Void>(())

    public init() {}

    /// Resolves `id` and returns the loaded model, loading it on first use.
    public func model(_ id: String, options: ModelLoadOptions = ModelLoadOptions(),
                      resolver: ModelResolver = ModelResolver()) throws(EngineError) -> LoadedModel {
        let source = try resolver.resolve(id)
        let key = Key(source: source.description, options: options)
        return try loading.withLock { _ throws(EngineError) -> LoadedModel in
            if let cached = models.withLock({ $0[key] }) { return cached }
            let loaded = try LoadedModel.load(id: id, source: source, options: options)
            models.withLock { $0[key] = loaded }
            return loaded
        }
    }

    /// Every model loaded so far (for the REPL's `:models`).
    public var loaded: [LoadedModel] { models.withLock { Array($0.values) } }
}
