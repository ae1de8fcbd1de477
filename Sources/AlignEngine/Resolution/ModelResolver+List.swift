import Foundation

/// One entry of `align models`.
public struct ResolvableModel: Sendable, Equatable {
    /// What to pass to `model(...)`.
    public let name: String
    /// What it resolves to, or why it cannot be used.
    public let detail: String
    public let available: Bool
}

extension ModelResolver {
    /// The built-in aliases (installed or not) and every model in the local hub caches.
    public func listResolvable() -> [ResolvableModel] {
        var out: [ResolvableModel] = []
        for alias in Self.aliases {
            let path = alignModelsRoot + "/" + alias.relativePath
            let installed = FileManager.default.fileExists(atPath: path)
            out.append(ResolvableModel(name: alias.name,
                                       detail: installed ? "\(alias.kind): \(path)" : "\(alias.kind): not installed (run scripts/bootstrap)",
                                       available: installed))
        }
        var seen = Set<String>()
        for cache in hubCaches {
            let entries = ((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []).sorted()
            for entry in entries where entry.hasPrefix("models--") {
                let repo = entry.dropFirst("models--".count).replacingOccurrences(of: "--", with: "/")
                guard seen.insert(repo).inserted, let id = HubRepoID(repo) else { continue }
                do {
                    guard let snapshot = try id.snapshot(in: cache + "/" + entry) else {
                        out.append(ResolvableModel(name: repo, detail: "no snapshot in \(cache)", available: false))
                        continue
                    }
                    out.append(ResolvableModel(name: repo, detail: "\(try classify(snapshot, depth: 0))", available: true))
                } catch {
                    out.append(ResolvableModel(name: repo, detail: "\(error)", available: false))
                }
            }
        }
        return out
    }
}
