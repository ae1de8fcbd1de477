import AlignSyntax

/// What a run manifest records about where its rows came from: the script and every module
/// it imported (path, sha256, text), its params, and the source of each prompt.
struct RunProvenance {
    var script: SourceFile?
    var modules: [CompiledModule]
    var params: Record
    var prompts: [UserFunction]
    var toolVersion: String

    func manifest(run name: String, started: String, finished: String?, counts: RunCounts) -> Value {
        var r = Record()
        r["tool"] = .string("align")
        r["version"] = .string(toolVersion)
        r["run"] = .string(name)
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
        r["started"] = .string(started)
        r["finished"] = finished.map(Value.string) ?? .null
        r["rows"] = counts.record
        return .record(r)
    }

    /// Input hashes cover the row, the run's body and the params, so editing either recomputes.
    func inputHash(row: Record, body: String) -> String {
        let rowText = (try? JSON.encode(.record(row))) ?? Value.record(row).reprString
        let paramText = (try? JSON.encode(.record(params))) ?? ""
        return SHA256.hex(body + "\n" + paramText + "\n" + rowText)
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
