import AlignEngine
import AlignSyntax

/// What a run manifest records about where its rows came from: the script and every module
/// it imported (path, sha256, text), its params, the source of each prompt, the tool build,
/// platform and threads, and the models and model calls (see `RunManifest`).
struct RunProvenance {
    var script: SourceFile?
    var modules: [CompiledModule]
    var params: Record
    var prompts: [UserFunction]
    var toolVersion: String

    /// The part of the manifest that decides whether an earlier run's rows may be reused:
    /// script, modules, params and the models loaded when the run starts.
    func identity(models: [LocalModelFacts]) -> Record {
        var r = Record()
        if let script {
            r["script"] = .record(Self.file(path: script.path, text: script.text))
        }
        r["modules"] = .list(modules.map { m in
            var f = Self.file(path: m.path, text: m.source.text)
            f["name"] = .string(m.name)
            return .record(f)
        })
        r["params"] = .record(params)
        r["prompts"] = .list(prompts.map { .record(Record([("name", .string($0.name)), ("text", .string($0.sourceText))])) })
        r["models"] = .list(models.map(\.manifest))
        return r
    }

    /// Input hashes cover the row and the run's body, so an edited body recomputes. Params,
    /// script and models are guarded by the manifest check instead (`RunChanges`), so
    /// `--resume` after a param change reuses rows whose input is unchanged.
    func inputHash(row: Record, body: String) -> String {
        let rowText = (try? JSON.encode(.record(row))) ?? Value.record(row).reprString
        return SHA256.hex(body + "\n" + rowText)
    }

    private static func file(path: String, text: String) -> Record {
        Record([("path", .string(path)), ("sha256", .string(SHA256.hex(text))), ("text", .string(text))])
    }
}

/// Rows of one run: how many came in, were computed now, and were reused from `rows.jsonl`.
struct RunCounts {
    var input = 0
    var computed = 0
    var reused = 0

    var record: Value {
        .record(Record([("input", .int(input)), ("computed", .int(computed)), ("reused", .int(reused))]))
    }
}

extension Interpreter {
    /// The provenance of the program now running (called when a run starts).
    func provenance(script: SourceFile?) -> RunProvenance {
        var params = Record()
        var prompts: [UserFunction] = []
        for name in globals.names {
            guard let slot = globals[name], slot.isInitialized.pointee else { continue }
            if slot.kind == .param { params[name] = slot.cell.pointee }
            if slot.kind == .prompt, case .function(let f) = slot.cell.pointee, let p = f as? UserFunction { prompts.append(p) }
        }
        return RunProvenance(script: script, modules: modules.loadedModules, params: params, prompts: prompts,
                             toolVersion: options.toolVersion)
    }
}
