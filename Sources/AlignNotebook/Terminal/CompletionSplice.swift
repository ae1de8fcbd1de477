#if canImport(Glibc)
import Glibc
#endif

/// Glue between the completer's view (a candidate replaces the line from `ownStart`) and
/// readline's (a candidate replaces the line from its own word start).
enum CompletionSplice {
    /// `candidate` re-based to replace from `readlineStart`; nil when it would not keep the text
    /// between the two starts.
    static func relative(_ candidate: String, ownStart: Int, readlineStart: Int, line: [UInt8]) -> String? {
        guard readlineStart >= 0, readlineStart <= line.count else { return nil }
        if ownStart == readlineStart { return candidate }
        if ownStart < readlineStart {
            let typed = line[ownStart..<readlineStart]
            let bytes = Array(candidate.utf8)
            guard bytes.starts(with: typed) else { return nil }
            return String(decoding: bytes.dropFirst(typed.count), as: UTF8.self)
        }
        return String(decoding: line[readlineStart..<ownStart], as: UTF8.self) + candidate
    }

    /// The longest common prefix of the candidates, on character boundaries.
    static func commonPrefix(_ candidates: [String]) -> String {
        guard var prefix = candidates.first else { return "" }
        for c in candidates.dropFirst() {
            while !c.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    /// The array readline expects: the text to insert (the common prefix), then every match,
    /// then NULL, all malloc'd (readline frees them).
    static func matchArray(_ candidates: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        let unique = Array(Set(candidates)).sorted()
        guard !unique.isEmpty else { return nil }
        let count = unique.count == 1 ? 2 : unique.count + 2
        guard let raw = malloc(count * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride) else { return nil }
        let array = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: count)
        array[0] = strdup(unique.count == 1 ? unique[0] : commonPrefix(unique))
        if unique.count > 1 {
            for (k, candidate) in unique.enumerated() { array[k + 1] = strdup(candidate) }
        }
        array[count - 1] = nil
        return array
    }
}
