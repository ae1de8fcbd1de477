/// The git commit of the align sources a binary was built from. It is read at run time from the
/// checkout the binary was compiled in (`.git/HEAD` and its ref, found through the source path
/// the compiler embeds), so it is present when running from a checkout and absent (nil) for a
/// binary copied elsewhere. Uncommitted edits are not detected.
public struct BuildCommit: Sendable, Equatable {
    public var sha: String
    /// Where it was read: the checkout folder.
    public var checkout: String

    /// The commit of the checkout holding `sourceFile` (the caller's `#filePath` by default),
    /// walking up from its folder to the first `.git`.
    public static func read(sourceFile: String = #filePath) -> BuildCommit? {
        var folder = SourceFiles.directory(of: sourceFile)
        for _ in 0..<8 {
            let git = SourceFiles.join(folder, ".git")
            if let head = try? SourceFiles.read(SourceFiles.join(git, "HEAD")) {
                guard let sha = resolve(head.trimmingCharacters(in: " \n"), git: git) else { return nil }
                return BuildCommit(sha: sha, checkout: folder)
            }
            let parent = SourceFiles.directory(of: folder)
            if parent == folder || parent.isEmpty { break }
            folder = parent
        }
        return nil
    }

    /// A detached HEAD's sha, or the sha its `ref:` names (loose ref file or packed-refs).
    private static func resolve(_ head: String, git: String) -> String? {
        guard head.hasPrefix("ref: ") else { return isSHA(head) ? head : nil }
        let ref = String(head.dropFirst(5))
        if let loose = try? SourceFiles.read(SourceFiles.join(git, ref)) {
            let sha = loose.trimmingCharacters(in: " \n")
            if isSHA(sha) { return sha }
        }
        guard let packed = try? SourceFiles.read(SourceFiles.join(git, "packed-refs")) else { return nil }
        for line in packed.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[1] == ref, isSHA(String(parts[0])) { return String(parts[0]) }
        }
        return nil
    }

    private static func isSHA(_ s: String) -> Bool {
        s.utf8.count == 40 && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

extension String {
    /// Drops leading and trailing characters found in `set`.
    fileprivate func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
