import Foundation
import Testing
@testable import AlignEngine

/// Truncated, bit-flipped and lying GGUF headers must give `EngineError`s, never a trap or an
/// out-of-bounds read.
struct GGUFFuzzTests {
    static func original() throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: GGUFFormatTests.path)))
    }

    /// Parses `bytes` from a temporary file; returns nil on success, the error otherwise.
    static func parse(_ bytes: [UInt8]) throws -> EngineError? {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("align-gguf-fuzz-\(UUID().uuidString).gguf")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            let g = try GGUFFile(path: url.path)
            // Touch every tensor's bytes: they must lie inside the mapping.
            for t in g.tensors.values { _ = t.bytes.last }
            return nil
        } catch {
            return error
        }
    }

    @Test func truncationAtEveryHeaderByteIsAnError() throws {
        let bytes = try Self.original()
        let g = try GGUFFile(path: GGUFFormatTests.path)
        for length in stride(from: 0, to: g.dataOffset + 64, by: 1) {
            let error = try Self.parse(Array(bytes.prefix(length)))
            #expect(error != nil, "truncated to \(length) bytes parsed")
        }
        // Cutting into the last tensor's data is an error too (the file may end in padding).
        let dataEnd = g.tensors.values.map { $0.bytes.baseAddress! - g.file.base + $0.bytes.count }.max() ?? 0
        #expect(try Self.parse(Array(bytes.prefix(dataEnd - 1))) != nil)
        #expect(try Self.parse(Array(bytes.prefix(dataEnd))) == nil)
    }

    @Test func byteFlipsNeverCrash() throws {
        let bytes = try Self.original()
        let headerEnd = try GGUFFile(path: GGUFFormatTests.path).dataOffset
        var rng = SeededRandom(seed: 42)
        var errors = 0
        for i in 0..<headerEnd {
            for _ in 0..<2 {
                var mutated = bytes
                mutated[i] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
                if try Self.parse(mutated) != nil { errors += 1 }
            }
        }
        #expect(errors > 0)
    }

    @Test func hugeCountsAreRefusedBeforeAllocating() throws {
        let bytes = try Self.original()
        for offset in [8, 16] {  // tensor count, metadata count
            var mutated = bytes
            for k in 0..<8 { mutated[offset + k] = k == 7 ? 0x7f : 0xff }
            let error = try #require(try Self.parse(mutated))
            #expect("\(error)".contains("count"))
        }
        // The first key's length claims far more bytes than the file holds.
        var mutated = bytes
        for k in 0..<8 { mutated[24 + k] = 0xff }
        #expect(try Self.parse(mutated) != nil)
    }
}
