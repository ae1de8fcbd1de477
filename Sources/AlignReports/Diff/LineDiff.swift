/// Unified diffs of text, for the script and module changes between two runs.
///
/// Lines are matched by a longest common subsequence after trimming the common head and tail.
/// Output follows `diff -u` / Python `difflib.unified_diff`: `@@ -a,b +c,d @@` hunks with three
/// lines of context, hunks closer than twice the context merged, and an empty range written as
/// `-a,0` with `a` the line before it.
public enum LineDiff {
    /// One line of an edit script.
    enum Edit: Equatable {
        case same(String)
        case removed(String)
        case added(String)
    }

    /// The middle part left after trimming is compared in full only up to this many cells of
    /// the LCS table; beyond it (huge rewrites) the whole middle is shown as replaced.
    static let maximumTableCells = 4_000_000

    /// The unified diff of `old` and `new`, headed `--- oldName` / `+++ newName`; empty when
    /// the texts are equal.
    public static func unified(_ old: String, _ new: String, oldName: String = "a", newName: String = "b",
                               context: Int = 3) -> String {
        guard old != new else { return "" }
        let edits = self.edits(lines(old), lines(new))
        var out = "--- \(oldName)\n+++ \(newName)\n"
        for hunk in hunks(edits, context: context) { out += hunk }
        return out
    }

    /// Lines without their terminators; a final newline does not make an extra empty line.
    static func lines(_ text: String) -> [String] {
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }

    static func edits(_ a: [String], _ b: [String]) -> [Edit] {
        var head = 0
        while head < a.count && head < b.count && a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head && tail < b.count - head && a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let midA = Array(a[head..<(a.count - tail)]), midB = Array(b[head..<(b.count - tail)])
        var result = a[..<head].map(Edit.same)
        result += middle(midA, midB)
        result += a[(a.count - tail)...].map(Edit.same)
        return result
    }

    private static func middle(_ a: [String], _ b: [String]) -> [Edit] {
        guard !a.isEmpty, !b.isEmpty, a.count * b.count <= maximumTableCells else {
            return a.map(Edit.removed) + b.map(Edit.added)
        }
        // lengths[i][j]: LCS length of a[i...] and b[j...], stored row-major.
        let width = b.count + 1
        var lengths = [Int32](repeating: 0, count: (a.count + 1) * width)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i * width + j] = a[i] == b[j] ? lengths[(i + 1) * width + j + 1] + 1
                    : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
            }
        }
        var edits: [Edit] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                edits.append(.same(a[i])); i += 1; j += 1
            } else if lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
                edits.append(.removed(a[i])); i += 1
            } else {
                edits.append(.added(b[j])); j += 1
            }
        }
        edits += a[i...].map(Edit.removed) + b[j...].map(Edit.added)
        return edits
    }

    private static func hunks(_ edits: [Edit], context: Int) -> [String] {
        let changed = edits.indices.filter { if case .same = edits[$0] { false } else { true } }
        guard let first = changed.first else { return [] }
        // Group changes whose gap of unchanged lines is at most 2·context.
        var groups: [(start: Int, end: Int)] = [(first, first)]
        for k in changed.dropFirst() {
            if k - groups[groups.count - 1].end - 1 <= 2 * context { groups[groups.count - 1].end = k } else { groups.append((k, k)) }
        }
        // Line numbers before each edit, in the old and new text.
        var oldLine = [Int](), newLine = [Int]()
        var o = 0, n = 0
        for edit in edits {
            oldLine.append(o); newLine.append(n)
            switch edit {
            case .same: o += 1; n += 1
            case .removed: o += 1
            case .added: n += 1
            }
        }
        return groups.map { group in
            let lo = max(group.start - context, 0), hi = min(group.end + context, edits.count - 1)
            var body = "", oldCount = 0, newCount = 0
            for edit in edits[lo...hi] {
                switch edit {
                case .same(let s): body += " " + s + "\n"; oldCount += 1; newCount += 1
                case .removed(let s): body += "-" + s + "\n"; oldCount += 1
                case .added(let s): body += "+" + s + "\n"; newCount += 1
                }
            }
            return "@@ -\(range(oldLine[lo], oldCount)) +\(range(newLine[lo], newCount)) @@\n" + body
        }
    }

    /// `start,count` in 1-based lines; a single line is just `start`; an empty range names the
    /// line before it.
    private static func range(_ before: Int, _ count: Int) -> String {
        switch count {
        case 0: "\(before),0"
        case 1: "\(before + 1)"
        default: "\(before + 1),\(count)"
        }
    }
}
