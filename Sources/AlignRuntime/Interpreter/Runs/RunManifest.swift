import AlignEngine
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `manifest.json` of a run: the identity (script, modules, params, prompts, models), the tool
/// build, platform and threads, the model calls made, the cache, times and row counts. Written
/// when the run starts (with `finished: null`) and again when it ends.
struct RunManifest {
    var name: String
    var identity: Record
    var toolVersion: String
    var started: String
    var finished: String?
    var counts: RunCounts
    var calls: ModelCallSummary = ModelCallSummary()
    /// Changes `--resume` continued past, or the folder `--fresh` moved aside.
    var resumedDespite: [String] = []
    var movedAside: String?

    var value: Value {
        var r = Record()
        r["tool"] = .string("align")
        r["version"] = .string(toolVersion)
        let settings = RunSettings.current
        r["commit"] = settings.commit.map { .string($0.sha) } ?? .null
        r["commit_source"] = settings.commit.map { .string("git HEAD of \($0.checkout), read at run time") } ?? .null
        r["run"] = .string(name)
        for (key, value) in identity.pairs where key != "models" { r[key] = value }
        r["platform"] = Self.platform
        r["threads"] = Self.threads
        r["models"] = models
        r["calls"] = calls.manifest
        r["cache"] = ModelCallLog.shared.cachePath.map { .record(Record([("path", .string($0))])) } ?? .null
        if !resumedDespite.isEmpty { r["resumed_despite"] = .list(resumedDespite.map(Value.string)) }
        if let movedAside { r["previous_run_moved_to"] = .string(movedAside) }
        r["started"] = .string(started)
        r["finished"] = finished.map(Value.string) ?? .null
        r["rows"] = counts.record
        return .record(r)
    }

    /// Models loaded in this process (with files and digests; models stay loaded, so this
    /// includes those of the identity) and remote models that were called.
    private var models: Value {
        var list: [Value] = LocalModelFacts.allLoaded.map(\.manifest)
        var seen = Set<String>()
        for m in calls.models where m.backend != "local" && seen.insert(m.location + " " + m.id).inserted {
            list.append(.record(Record([("id", .string(m.id)), ("backend", .string(m.backend)), ("location", .string(m.location)),
                                        ("sha256", m.digest.map(Value.string) ?? .null)])))
        }
        return .list(list)
    }

    static var platform: Value {
        var u = utsname()
        uname(&u)
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return .record(Record([("os", .string(text(u.sysname))), ("release", .string(text(u.release))),
                               ("machine", .string(text(u.machine))), ("cpus", .int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))]))
    }

    /// The engine's worker threads: `ALIGN_THREADS` when set, else one per online CPU
    /// (a model loaded with `threads:` lists its own in `models[].options`).
    static var threads: Value {
        let env = SourceFiles.environment("ALIGN_THREADS")
        let cpus = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        let n = env.flatMap { Int($0) }.map { min(max($0, 1), 64) } ?? cpus
        return .record(Record([("engine", .int(n)), ("ALIGN_THREADS", env.map(Value.string) ?? .null)]))
    }
}
