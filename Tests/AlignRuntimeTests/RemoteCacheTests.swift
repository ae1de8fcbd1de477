import AlignEngine
import AlignSyntax
import Foundation
import Testing
@testable import AlignRuntime

/// Remote calls through the result cache and the call log: repeated calls are served from the
/// cache, every setting that changes the output (seed of a sampled call, route, endpoint) is in
/// the key, and the run summary names the endpoint. A private `ModelCallLog` keeps other tests'
/// use of the shared one out of the counts.
@Suite struct RemoteCacheTests {
    static func call() -> BuiltinCall {
        let file = SourceFile(path: "test.align", text: "generate(m, p)")
        let span = SourceSpan(file: file, start: 0, end: file.text.utf8.count)
        return BuiltinCall(arguments: [], rest: [], span: span, argumentSpans: [], restSpans: [], services: RecordingServices())
    }

    static func log() throws -> (ModelCallLog, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("align-remote-cache-\(UUID().uuidString)").path
        let log = ModelCallLog()
        log.cache = try ResultCache(path: folder + "/cache.sqlite")
        return (log, folder)
    }

    @Test func repeatedCallsAreServedFromTheCache() throws {
        let (log, folder) = try Self.log()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = try RemoteModelBuiltinTests.fakeModel()
        let client = try RemoteClientTests.client(server)
        let greedy = RemoteSampling(maxTokens: 5)
        #expect(try log.remoteCompletions(Self.call(), client, ["a", "b"], sampling: greedy) == ["gen:a", "gen:b"])
        #expect(try log.remoteCompletions(Self.call(), client, ["b", "a", "c"], sampling: greedy) == ["gen:b", "gen:a", "gen:c"])
        #expect(server.requests.count == 3)

        var sampled = RemoteSampling(maxTokens: 5, temperature: 0.8, seed: 1)
        _ = try log.remoteCompletions(Self.call(), client, ["a"], sampling: sampled)
        _ = try log.remoteCompletions(Self.call(), client, ["a"], sampling: sampled)
        #expect(server.requests.count == 4)
        sampled.seed = 2
        _ = try log.remoteCompletions(Self.call(), client, ["a"], sampling: sampled)
        #expect(server.requests.count == 5)

        _ = try log.remoteChat(Self.call(), client, [[ChatMessage(role: "user", content: "a")]], sampling: greedy)
        _ = try log.remoteChat(Self.call(), client, [[ChatMessage(role: "user", content: "a")]], sampling: greedy)
        #expect(server.requests.count == 6)

        let other = try RemoteModelBuiltinTests.fakeModel()
        _ = try log.remoteCompletions(Self.call(), try RemoteClientTests.client(other), ["a"], sampling: greedy)
        #expect(other.requests.count == 1)
    }

    @Test func theRunSummaryNamesTheEndpointAndSettings() throws {
        let (log, folder) = try Self.log()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = try RemoteModelBuiltinTests.fakeModel()
        let client = try RemoteClientTests.client(server)
        let scope = log.openScope()
        defer { log.closeScope(scope) }
        _ = try log.remoteCompletions(Self.call(), client, ["a", "b"], sampling: RemoteSampling(maxTokens: 5, temperature: 0.5, seed: 9))
        _ = try log.remoteCompletions(Self.call(), client, ["a"], sampling: RemoteSampling(maxTokens: 5, temperature: 0.5, seed: 9))
        guard case .list(let groups) = log.summary(scope).manifest, groups.count == 1, case .record(let g) = groups[0] else {
            Issue.record("expected one call group, got \(log.summary(scope).manifest.reprString)")
            return
        }
        #expect(g["backend"] == .string("openai"))
        #expect(g["location"] == .string(server.baseURL))
        #expect(g["model"] == .string("test-model"))
        #expect(g["sampler"] == .record(Record([("route", .string("completions")), ("temperature", .string("0.5"))])))
        #expect(g["max_tokens"] == .int(5))
        #expect(g["seeds"] == .list([.int(9)]))
        #expect(g["calls"] == .int(3))
        #expect(g["cached"] == .int(1))
        #expect(g["generated_tokens"] == .int(6))
    }
}
