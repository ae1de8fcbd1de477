import Testing
@testable import AlignReports

/// Expected texts are what Python's `difflib.unified_diff(a.splitlines(True), b.splitlines(True), "A", "B")`
/// prints for the same inputs (checked by hand; these cases have a single minimal diff).
@Suite struct LineDiffTests {
    @Test func oneChangedLineWithThreeLinesOfContext() {
        #expect(LineDiff.unified("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nD\ne\nf\ng\nh\n", oldName: "A", newName: "B")
                == "--- A\n+++ B\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n")
    }

    @Test func lineAddedAtTheEnd() {
        #expect(LineDiff.unified("x\ny\n", "x\ny\nz\n", oldName: "A", newName: "B") == "--- A\n+++ B\n@@ -1,2 +1,3 @@\n x\n y\n+z\n")
    }

    @Test func firstLineRemovedLeavesASingleLineRange() {
        #expect(LineDiff.unified("a\nb\n", "b\n", oldName: "A", newName: "B") == "--- A\n+++ B\n@@ -1,2 +1 @@\n-a\n b\n")
    }

    @Test func emptyOldTextHasAnEmptyRangeAtZero() {
        #expect(LineDiff.unified("", "a\n", oldName: "A", newName: "B") == "--- A\n+++ B\n@@ -0,0 +1 @@\n+a\n")
    }

    @Test func distantChangesMakeTwoHunks() {
        let old = (1...25).map { "l\($0)" }
        var new = old
        new[1] = "X"
        new[19] = "Y"
        let expected = "--- A\n+++ B\n@@ -1,5 +1,5 @@\n l1\n-l2\n+X\n l3\n l4\n l5\n"
            + "@@ -17,7 +17,7 @@\n l17\n l18\n l19\n-l20\n+Y\n l21\n l22\n l23\n"
        #expect(LineDiff.unified(lines(old), lines(new), oldName: "A", newName: "B") == expected)
    }

    @Test func changesSixLinesApartShareAHunk() {
        let old = (1...25).map { "l\($0)" }
        var new = old
        new[1] = "X"
        new[7] = "Y"
        let expected = "--- A\n+++ B\n@@ -1,11 +1,11 @@\n l1\n-l2\n+X\n l3\n l4\n l5\n l6\n l7\n-l8\n+Y\n l9\n l10\n l11\n"
        #expect(LineDiff.unified(lines(old), lines(new), oldName: "A", newName: "B") == expected)
    }

    @Test func equalTextsHaveNoDiff() {
        #expect(LineDiff.unified("same\n", "same\n").isEmpty)
    }

    @Test func editsKeepEveryLineOfBothTexts() {
        let old = ["p", "q", "r", "s", "t"], new = ["q", "x", "s", "t", "u"]
        let edits = LineDiff.edits(old, new)
        let kept = edits.compactMap { if case .same(let s) = $0 { s } else { nil } }
        #expect(kept == ["q", "s", "t"])
        #expect(edits.filter { if case .added = $0 { false } else { true } }.count == old.count)
        #expect(edits.filter { if case .removed = $0 { false } else { true } }.count == new.count)
    }

    private func lines(_ xs: [String]) -> String { xs.joined(separator: "\n") + "\n" }
}
