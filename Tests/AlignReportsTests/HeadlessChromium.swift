import Foundation

/// Headless Chromium (the Debian `chromium` package) driven once per page: a screenshot and the
/// DOM after the page's scripts ran, with a private profile and a time limit.
struct HeadlessChromium {
    let executable: String

    /// `$CHROMIUM`, else the first of chromium, chromium-browser, google-chrome on PATH.
    static func find() -> HeadlessChromium? {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["CHROMIUM"], FileManager.default.isExecutableFile(atPath: explicit) {
            return HeadlessChromium(executable: explicit)
        }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) {
                return HeadlessChromium(executable: folder + "/" + name)
            }
        }
        return nil
    }

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Renders `page`, writing the screenshot to `screenshot`; returns the dumped DOM.
    func render(page: String, screenshot: String, scratch: String, timeout: Double = 120) throws -> String {
        let domPath = scratch + "/dom.html"
        FileManager.default.createFile(atPath: domPath, contents: nil)
        guard let dom = FileHandle(forWritingAtPath: domPath) else { throw TestFailure("cannot create \(domPath)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                             "--user-data-dir=\(scratch)/profile", "--window-size=1280,2000",
                             "--screenshot=\(screenshot)", "--dump-dom", URL(fileURLWithPath: page).absoluteString]
        process.standardOutput = dom
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(100_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw TestFailure("chromium did not finish within \(Int(timeout)) s")
        }
        try dom.close()
        guard process.terminationStatus == 0 else { throw TestFailure("chromium exited with status \(process.terminationStatus)") }
        return try String(contentsOfFile: domPath, encoding: .utf8)
    }
}
