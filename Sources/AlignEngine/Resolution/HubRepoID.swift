import Foundation

/// A Hugging Face repo id (`org/name`, optionally `@revision`) and its folder in the local hub
/// cache.
///
/// Matches: huggingface_hub's cache layout (`file_download.py`, `constants.py`):
/// `models--<org>--<name>/refs/<ref>` holds a commit hash, the files live in
/// `snapshots/<commit>/`.
struct HubRepoID: Equatable {
    let repo: String
    let revision: String?

    init?(_ id: String) {
        let parts = id.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let repo = parts[0]
        let names = repo.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard (1...2).contains(names.count),
              names.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.hasPrefix("-")
                  && $0.unicodeScalars.allSatisfy(allowed.contains) })
        else { return nil }
        if parts.count == 2 {
            guard !parts[1].isEmpty, !parts[1].contains(".."), !parts[1].hasPrefix("/") else { return nil }
        }
        self.repo = repo
        self.revision = parts.count == 2 ? parts[1] : nil
    }

    /// `models--org--name`.
    var cacheFolderName: String { "models--" + repo.replacingOccurrences(of: "/", with: "--") }

    /// The snapshot folder for the revision (default `main`), or nil when this cache lacks it.
    func snapshot(in repoFolder: String) throws(EngineError) -> String? {
        let files = FileManager.default
        guard files.fileExists(atPath: repoFolder) else { return nil }
        let ref = revision ?? "main"
        let refFile = repoFolder + "/refs/" + ref
        if let commit = try? String(contentsOfFile: refFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           !commit.isEmpty, !commit.contains("/"), files.fileExists(atPath: repoFolder + "/snapshots/" + commit) {
            return repoFolder + "/snapshots/" + commit
        }
        if let revision, files.fileExists(atPath: repoFolder + "/snapshots/" + revision) {
            return repoFolder + "/snapshots/" + revision
        }
        guard revision == nil else { return nil }
        // No usable refs/main: a cache filled by hand or by an older client; take the newest snapshot.
        let snapshots = ((try? files.contentsOfDirectory(atPath: repoFolder + "/snapshots")) ?? []).map {
            repoFolder + "/snapshots/" + $0
        }
        return snapshots.max { Self.modified($0) < Self.modified($1) }
    }

    private static func modified(_ path: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
    }
}
