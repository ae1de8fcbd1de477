import Foundation
import Testing
@testable import AlignEngine

/// The real all-MiniLM-L6-v2 installed by the bootstrap, against sentence-transformers.
@Suite struct BertMiniLMTests {
    static let referencePath = "/work/shared/reference/minilm_embeddings.json"

    /// The installed model folder; nil (skip) when absent, a recorded failure under CI.
    static func folder() -> String? {
        do {
            return try ModelResolver().resolve("minilm").modelFolder
        } catch {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("default model missing: \(error)") }
            return nil
        }
    }

    @Test func embeddingsMatchSentenceTransformers() throws {
        guard let folder = Self.folder() else { return }
        let reference = try referenceSentences()
        guard !reference.isEmpty else { return }
        let embedder = try SentenceEmbedder(folder: folder)
        #expect(embedder.pooling == .mean && embedder.normalize && embedder.maxSequenceLength == 256)
        let embeddings = try embedder.embed(reference.map(\.ids))
        for (got, want) in zip(embeddings, reference.map(\.embedding)) {
            #expect(got.count == 384 && want.count == 384)
            let dot = zip(got, want).reduce(0) { $0 + Double($1.0) * Double($1.1) }
            let norms = (got.reduce(0) { $0 + Double($1 * $1) } * want.reduce(0) { $0 + Double($1 * $1) }).squareRoot()
            #expect(dot / norms >= 0.99999, "cosine \(dot / norms)")
        }
    }

    /// Token ids and embeddings from the shared reference file (sentence-transformers 6.2);
    /// empty when this machine does not have it (it lives outside the repo).
    func referenceSentences() throws -> [(ids: [Int32], embedding: [Float])] {
        guard FileManager.default.fileExists(atPath: Self.referencePath) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("missing \(Self.referencePath)") }
            return []
        }
        return try HFJSON.read(path: Self.referencePath)["sentences"]?.arrayValue?.map { sentence in
            (sentence["token_ids"]?.arrayValue?.compactMap { $0.intValue.map(Int32.init) } ?? [],
             sentence["embedding_full"]?.arrayValue?.compactMap { $0.doubleValue.map(Float.init) } ?? [])
        } ?? []
    }
}
