import Foundation
import Testing
@testable import AlignRuntime

/// The SQLite result cache, cache keys, the call log's hit/miss bookkeeping and the on-disk
/// file digests (all on scratch files; the user's cache is not touched).
@Suite struct CacheTests {
    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("align-cache-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func request(prompt: String = "1 2 3", seed: UInt64? = 7, temperature: String = "0.7",
                        maxTokens: Int = 16, stop: [String] = [], digest: String? = "abc") -> ModelCallRequest {
        ModelCallRequest(model: ModelIdentity(id: "m", backend: "local", location: "/models/m.gguf", digest: digest),
                         prompt: prompt, sampler: ["temperature": temperature, "top_p": "1.0"], seed: seed,
                         maxTokens: maxTokens, stop: stop, cacheable: true)
    }

    @Test func storesLooksUpCountsAndClears() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = try ResultCache(path: dir + "/nested/cache.sqlite")
        #expect(try cache.lookup("k1") == nil)
        try cache.store("k1", ModelCallResult(text: "hello\u{0}world ✓", tokens: 5), model: "m")
        try cache.store("k2", ModelCallResult(text: "", tokens: 0), model: "m")
        #expect(try cache.lookup("k1") == ModelCallResult(text: "hello\u{0}world ✓", tokens: 5))
        #expect(try cache.lookup("k2") == ModelCallResult(text: "", tokens: 0))
        let (entries, bytes) = try cache.info()
        #expect(entries == 2)
        #expect(bytes > 0)
        // A second connection (as another process would open) sees the same entries.
        let other = try ResultCache(path: dir + "/nested/cache.sqlite")
        #expect(try other.lookup("k1")?.tokens == 5)
        #expect(try other.clear() == 2)
        #expect(try cache.lookup("k1") == nil)
        #expect(try cache.info().entries == 0)
    }

    @Test func concurrentWritersOnSeparateConnectionsLoseNothing() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/cache.sqlite"
        let a = try ResultCache(path: path), b = try ResultCache(path: path)
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            let cache = worker == 0 ? a : b
            for i in 0..<150 {
                do { try cache.store("w\(worker)-\(i)", ModelCallResult(text: "t\(i)", tokens: i), model: "m") } catch { failures.add("\(error)") }
            }
        }
        #expect(failures.all.isEmpty)
        #expect(try a.info().entries == 300)
    }

    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
    }

    @Test func keysChangeWithEverythingThatDecidesTheOutput() {
        let base = Self.request().cacheKey(engineVersion: "v1")
        let variants = [
            Self.request(prompt: "1 2 4"), Self.request(seed: 8), Self.request(seed: nil), Self.request(temperature: "0.8"),
            Self.request(maxTokens: 17), Self.request(stop: ["\n"]), Self.request(digest: "abd"), Self.request(digest: nil),
        ].map { $0.cacheKey(engineVersion: "v1") }
        #expect(!variants.contains(base))
        #expect(Set(variants).count == variants.count)
        #expect(Self.request().cacheKey(engineVersion: "v2") != base)
        #expect(Self.request().cacheKey(engineVersion: "v1") == base)
        // Length-prefixed fields: moving text between two stop strings changes the key.
        #expect(Self.request(stop: ["ab", "c"]).cacheKey(engineVersion: "v1") != Self.request(stop: ["a", "bc"]).cacheKey(engineVersion: "v1"))
        // With a known digest the path does not matter: the same weights elsewhere hit.
        var moved = Self.request()
        moved.model.location = "/elsewhere/m.gguf"
        #expect(moved.cacheKey(engineVersion: "v1") == base)
    }

    @Test func logComputesOnlyMissesAndRecordsEveryCall() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = ModelCallLog()
        log.cache = try ResultCache(path: dir + "/cache.sqlite")
        let scope = log.openScope()
        let first = try log.results([Self.request(prompt: "a"), Self.request(prompt: "b")]) { missing in
            #expect(missing == [0, 1])
            return missing.map { ModelCallResult(text: "out\($0)", tokens: 3) }
        }
        #expect(first.map(\.text) == ["out0", "out1"])
        var uncacheable = Self.request(prompt: "b")
        uncacheable.cacheable = false
        let second = try log.results([Self.request(prompt: "b"), Self.request(prompt: "c"), uncacheable]) { missing in
            #expect(missing == [1, 2])
            return missing.map { ModelCallResult(text: "new\($0)", tokens: 2) }
        }
        #expect(second.map(\.text) == ["out1", "new1", "new2"])
        let summary = log.summary(scope)
        log.closeScope(scope)
        #expect(summary.calls == 5)
        #expect(summary.generatedTokens == 3 + 3 + 2 + 2)
        #expect(log.generatedTokens == 10)
        guard case .list(let groups) = summary.manifest, case .record(let g)? = groups.first else {
            Issue.record("one call group")
            return
        }
        #expect(groups.count == 1)
        #expect(g["calls"] == .int(5))
        #expect(g["cached"] == .int(1))
        #expect(g["seeds"] == .list([.int(7)]))
    }

    @Test func fileDigestsAreCachedBySizeAndMtime() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/weights.bin"
        try Data("abc".utf8).write(to: URL(fileURLWithPath: file))
        let digests = FileDigests(store: dir + "/digests.json")
        let first = try digests.digest(of: file)
        #expect(first.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(first.size == 3)
        let stored = try String(contentsOfFile: dir + "/digests.json", encoding: .utf8)
        #expect(stored.contains(first.sha256))
        // A fresh reader trusts the stored digest while size and mtime are unchanged (shown by
        // planting a different digest in the store) …
        let planted = String(repeating: "f", count: 64)
        try stored.replacingOccurrences(of: first.sha256, with: planted).write(toFile: dir + "/digests.json", atomically: true, encoding: .utf8)
        let reread = FileDigests(store: dir + "/digests.json")
        #expect(try reread.digest(of: file).sha256 == planted)
        // … and hashes again when the file changes.
        try Data("abcd".utf8).write(to: URL(fileURLWithPath: file))
        #expect(try reread.digest(of: file).sha256 == "88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589")
        #expect(throws: CacheError.self) { try digests.digest(of: dir + "/missing.bin") }
    }
}
