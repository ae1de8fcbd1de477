/// The model calls of one run, grouped by model and settings (one group per distinct model,
/// sampler, max_tokens and stop), for the manifest. Seeds are listed per group rather than per
/// call, so a 10,000-row run keeps a small manifest.
struct ModelCallSummary: Sendable {
    struct Group: Sendable {
        var model: ModelIdentity
        var sampler: [String: String]
        var maxTokens: Int
        var stop: [String]
        var calls = 0
        var cached = 0
        var generatedTokens = 0
        var seeds: Set<UInt64> = []
    }

    private struct GroupKey: Hashable {
        var model: ModelIdentity
        var sampler: [String: String]
        var maxTokens: Int
        var stop: [String]
    }

    /// Seeds listed per group before the list is cut short (the count stays exact).
    static let listedSeeds = 1000

    private var groups: [GroupKey: Group] = [:]
    private var order: [GroupKey] = []
    private(set) var generatedTokens = 0
    private(set) var calls = 0

    var models: [ModelIdentity] {
        var seen = Set<ModelIdentity>()
        return order.compactMap { seen.insert($0.model).inserted ? $0.model : nil }
    }

    mutating func add(_ request: ModelCallRequest, _ result: ModelCallResult, cached: Bool) {
        let key = GroupKey(model: request.model, sampler: request.sampler, maxTokens: request.maxTokens, stop: request.stop)
        if groups[key] == nil {
            groups[key] = Group(model: request.model, sampler: request.sampler, maxTokens: request.maxTokens, stop: request.stop)
            order.append(key)
        }
        groups[key]?.calls += 1
        if cached { groups[key]?.cached += 1 } else { groups[key]?.generatedTokens += result.tokens }
        if let seed = request.seed { groups[key]?.seeds.insert(seed) }
        calls += 1
        if !cached { generatedTokens += result.tokens }
    }

    /// The manifest's `calls` list.
    var manifest: Value {
        .list(order.compactMap { key in
            guard let g = groups[key] else { return nil }
            var r = Record()
            r["model"] = .string(g.model.id)
            r["backend"] = .string(g.model.backend)
            r["location"] = .string(g.model.location)
            r["sampler"] = .record(Record(g.sampler.keys.sorted().map { ($0, .string(g.sampler[$0] ?? "")) }))
            r["max_tokens"] = .int(g.maxTokens)
            r["stop"] = .list(g.stop.map(Value.string))
            let seeds = g.seeds.sorted()
            r["seeds"] = .list(seeds.prefix(Self.listedSeeds).map { .int(Int(clamping: $0)) })
            r["distinct_seeds"] = .int(seeds.count)
            r["calls"] = .int(g.calls)
            r["cached"] = .int(g.cached)
            r["generated_tokens"] = .int(g.generatedTokens)
            return .record(r)
        })
    }
}
