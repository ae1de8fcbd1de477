import AlignTestSupport
import Foundation
import Testing

/// The built `align` loads libcurl only when an `openai:` model sends a request: neither libcurl
/// nor FoundationNetworking (which links it) may be among the libraries the binary needs, directly
/// or through another library. `ldd` lists that whole closure as the dynamic loader resolves it.
@Suite struct RemoteBinaryLinkTests {
    @Test func alignDoesNotNeedLibcurl() throws {
        let binary = try #require(AlignBinary.path(), "\(AlignBinary.missing)")
        let ldd = Process()
        ldd.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        ldd.arguments = [binary]
        let output = Pipe()
        ldd.standardOutput = output
        ldd.standardError = FileHandle.nullDevice
        try ldd.run()
        let listing = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ldd.waitUntilExit()
        #expect(ldd.terminationStatus == 0, "\(listing)")
        let libraries = listing.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(libraries.contains { $0.hasPrefix("libc.so") }, "ldd listed no libc: \(listing)")
        #expect(libraries.contains { $0.hasPrefix("libFoundation.so") }, "ldd listed no Foundation: \(listing)")
        let networking = libraries.filter { $0.lowercased().contains("curl") || $0.contains("FoundationNetworking") }
        #expect(networking.isEmpty, "\(networking)")
    }
}
