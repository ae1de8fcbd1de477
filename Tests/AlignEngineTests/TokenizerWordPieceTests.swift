import Foundation
import Testing
@testable import AlignEngine

@Suite(.enabled(if: TokenizerFixtures.shouldRun(TokenizerFixtures.miniLM)))
struct TokenizerWordPieceTests {
    static func fromVocab() throws -> WordPieceTokenizer {
        let folder = TokenizerFixtures.miniLM
        return try TokenizerLoader.load(vocabTxt: folder + "/vocab.txt",
                                        config: try HFJSON.read(path: folder + "/tokenizer_config.json"))
    }

    @Test func miniLMFromVocabTxtMatchesReference() throws {
        let t = try Self.fromVocab()
        #expect(t.vocabularySize == 30522)
        expectMatches(t, "minilm_vocab", addSpecial: true)
    }

    @Test func miniLMFromTokenizerJSONMatchesReference() throws {
        let t = try TokenizerLoader.load(directory: TokenizerFixtures.miniLM)
        #expect(t is WordPieceTokenizer)
        expectMatches(t, "minilm_json", addSpecial: true)
    }

    @Test func pairsGetSegmentIds() throws {
        let t = try Self.fromVocab()
        for p in TokenizerFixtures.cases["minilm_pairs"]?.arrayValue ?? [] {
            let (ids, types) = t.encodePair(p["a"]?.stringValue ?? "", p["b"]?.stringValue)
            #expect(ids == TokenizerFixtures.ids(p["ids"]))
            #expect(types == TokenizerFixtures.ids(p["type_ids"]))
        }
    }

    @Test func batchesPadAndTruncate() throws {
        let t = try Self.fromVocab()
        let b = TokenizerFixtures.cases["minilm_batch"]
        let texts = b?["texts"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(texts.count == 3)
        let batch = t.encodeBatch(texts, maxLength: b?["max_length"]?.intValue)
        #expect(batch.ids == (b?["ids"]?.arrayValue ?? []).map(TokenizerFixtures.ids))
        #expect(batch.attentionMask == (b?["mask"]?.arrayValue ?? []).map(TokenizerFixtures.ids))
        #expect(batch.typeIds.allSatisfy { $0.allSatisfy { $0 == 0 } })
    }

    @Test func longestFirstTruncationOfPairs() throws {
        let t = try Self.fromVocab()
        let (ids, types) = t.encodePair("one two three four five six", "seven eight", maxLength: 8)
        #expect(ids.count == 8)
        // 5 content tokens: the longer first text is cut to 3, the second keeps 2.
        #expect(types == [0, 0, 0, 0, 0, 1, 1, 1])
        #expect(t.encodePair("anything", maxLength: 0).ids == [101, 102])
    }
}
