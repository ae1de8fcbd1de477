import Foundation

/// Finds the built `align` executable for tests that run it as a process (the CLI, the REPL in
/// a terminal, `align serve`).
public enum AlignBinary {
    /// `$ALIGN_BINARY`, else `align` beside the test bundle or up to five folders above the test
    /// executable, else `.build/{release,debug}/align` under the package root.
    public static func path() -> String? {
        if let explicit = ProcessInfo.processInfo.environment["ALIGN_BINARY"] { return explicit }
        var candidates = [URL(fileURLWithPath: Bundle.main.bundlePath).deletingLastPathComponent().appendingPathComponent("align").path]
        var url = URL(fileURLWithPath: executable()).resolvingSymlinksInPath()
        for _ in 0..<5 {
            url.deleteLastPathComponent()
            candidates.append(url.appendingPathComponent("align").path)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates += ["release", "debug"].map { root.appendingPathComponent(".build/\($0)/align").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The message tests give when no binary is found.
    public static let missing = "no built `align` binary next to the tests or under .build/{release,debug}; run `swift build -c release` or set ALIGN_BINARY"

    /// The running test executable (`/proc/self/exe` on Linux, else argv[0]).
    private static func executable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
