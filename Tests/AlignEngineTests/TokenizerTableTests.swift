import Foundation
import Testing
@testable import AlignEngine

/// The packed tables behind the BPE tokenizers (`PieceIndex`, `BPEMerges`, byte-level decoding
/// from the index's bytes), checked exhaustively against plain Swift collections and, for SmolLM2,
/// against the GGUF file's own token and merge lists.
@Suite struct TokenizerTableTests {
    /// Every piece resolves to its first id and back; absent pieces and ids resolve to nothing.
    /// Sizes straddle the id-width steps of the packed slots (255/256, 65535/65536 pieces).
    @Test(arguments: [0, 1, 255, 256, 3000, 65535, 65536])
    func pieceIndexResolvesEveryPiece(count: Int) {
        var pieces = (0..<count).map { "p\($0)" }
        if count > 2 { pieces[count - 1] = pieces[1] }
        let index = PieceIndex(pieces)
        var first: [String: Int32] = [:]
        for (i, p) in pieces.enumerated() where first[p] == nil { first[p] = Int32(i) }
        #expect(index.count == count)
        #expect(index.hasDuplicates == (count > 2))
        var wrong = 0
        for (i, p) in pieces.enumerated() where index.id(p) != first[p] || index.piece(Int32(i)) != p { wrong += 1 }
        #expect(wrong == 0)
        #expect(index.id("q0") == nil)
        #expect(index.id("") == nil)
        #expect(index.piece(-1) == nil)
        #expect(index.piece(Int32(count)) == nil)
    }

    @Test func pieceIndexFindsConcatenationsWithoutBuildingThem() {
        let index = PieceIndex(["", "a", "b", "ab", "Ġthe", "é"])
        #expect(index.id("") == 0)
        var l = "a", r = "b", g = "Ġ", the = "the"
        #expect(l.withUTF8 { a in r.withUTF8 { b in index.id(a, b) } } == 3)
        #expect(g.withUTF8 { a in the.withUTF8 { b in index.id(a, b) } } == 4)
        #expect(r.withUTF8 { a in l.withUTF8 { b in index.id(a, b) } } == nil)
        #expect(index.piece(5) == "é")
    }

    /// 100 base pieces and a random half of their 10,000 pairs as merges (some listed twice):
    /// every pair's rank equals the first listing, unlisted pairs have none, and merging uses
    /// the merged piece's id.
    @Test func mergeRanksMatchADictionary() throws {
        var rng = SystemRandomNumberGenerator()
        var pairs = (0..<10_000).map { ($0 / 100, $0 % 100) }.shuffled(using: &rng)
        pairs = Array(pairs.prefix(5_000))
        pairs += pairs.prefix(50)
        var pieces = (0..<100).map { "x\($0)" }
        pieces += pairs.prefix(5_000).map { "x\($0.0)x\($0.1)" }
        let index = PieceIndex(pieces)
        let merges = try BPEMerges(merges: pairs.map { ("x\($0.0)", "x\($0.1)") }, vocabulary: index, source: "test")
        var expected: [Int: Int32] = [:]
        for (rank, p) in pairs.enumerated() where expected[p.0 * 100 + p.1] == nil { expected[p.0 * 100 + p.1] = Int32(rank) }
        #expect(merges.count == 5_000)
        var wrong = 0
        for a in 0..<100 {
            for b in 0..<100 where merges.rank(Int32(a), Int32(b)) != expected[a * 100 + b] { wrong += 1 }
        }
        #expect(wrong == 0)
        let (a, b) = pairs[0]
        var symbols: [Int32] = [Int32(a), Int32(b)]
        merges.apply(&symbols)
        #expect(symbols == [index.id("x\(a)x\(b)")])
    }

    @Test func oversizedRuleSetsAreErrors() throws {
        let tooMany = PieceIndex((0...BPEMerges.maxVocabulary).map { "\($0)" })
        let error = #expect(throws: EngineError.self) { try BPEMerges(mergeLines: [], vocabulary: tooMany, source: "big.gguf") }
        #expect(error?.description.hasPrefix("big.gguf: 2097152 vocabulary pieces") == true)
    }

    /// The real SmolLM2 vocabulary: pieces come back as the GGUF strings, each merge line has its
    /// rank, and each piece decodes to the bytes its characters stand for (GPT-2's table read
    /// scalar by scalar, the slow way).
    @Test(.enabled(if: TokenizerFixtures.shouldRun(TokenizerFixtures.smolLM2)))
    func smolLM2TablesMatchTheFile() throws {
        let gguf = try GGUFFile(path: TokenizerFixtures.smolLM2)
        let tokens = gguf.metadata["tokenizer.ggml.tokens"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let lines = gguf.metadata["tokenizer.ggml.merges"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let t = try #require(try TokenizerLoader.load(ggufMetadata: gguf.metadata, source: TokenizerFixtures.smolLM2)
                             as? ByteLevelBPETokenizer)
        #expect(tokens.count == 49152 && lines.count > 48_000)
        var wrongPieces = 0, wrongBytes = 0, wrongRanks = 0
        for (i, piece) in tokens.enumerated() {
            if t.piece(for: Int32(i)) != piece || t.token(for: piece) != Int32(i) { wrongPieces += 1 }
            var expected: [UInt8] = []
            for s in piece.unicodeScalars {
                let v = Int(s.value)
                if v < ByteLevel.scalarToByte.count, ByteLevel.scalarToByte[v] >= 0 {
                    expected.append(UInt8(ByteLevel.scalarToByte[v]))
                } else {
                    expected += Array(String(s).utf8)
                }
            }
            if t.decodeBytes([Int32(i)], skipSpecial: false) != expected { wrongBytes += 1 }
        }
        var firstRank: [[Int32]: Int32] = [:]
        for (rank, line) in lines.enumerated() {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, let l = t.token(for: parts[0]), let r = t.token(for: parts[1]) else { wrongRanks += 1; continue }
            if firstRank[[l, r]] == nil { firstRank[[l, r]] = Int32(rank) }
            if t.merges.rank(l, r) != firstRank[[l, r]] { wrongRanks += 1 }
        }
        #expect(wrongPieces == 0)
        #expect(wrongBytes == 0)
        #expect(wrongRanks == 0)
        #expect(t.merges.rank(0, 0) == nil)
    }

    /// MiniLM's `vocab.txt`: every line is its id's piece and resolves back to its first id, and a
    /// lone id decodes to the piece behind a space (or without its `##`).
    @Test(.enabled(if: TokenizerFixtures.shouldRun(TokenizerFixtures.miniLM)))
    func miniLMVocabularyRoundTrips() throws {
        let lines = try String(contentsOfFile: TokenizerFixtures.miniLM + "/vocab.txt", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let pieces = lines.last == "" ? Array(lines.dropLast()) : lines
        let t = try TokenizerWordPieceTests.fromVocab()
        #expect(t.vocabularySize == pieces.count)
        var first: [[UInt8]: Int32] = [:]
        var wrong = 0
        for (i, p) in pieces.enumerated() {
            if first[Array(p.utf8)] == nil { first[Array(p.utf8)] = Int32(i) }
            // HF's decoder strips the prefix as bytes (`str::strip_prefix`).
            let bytes = p.utf8.starts(with: "##".utf8) ? Array(p.utf8.dropFirst(2)) : [0x20] + Array(p.utf8)
            if t.piece(for: Int32(i)) != p || t.token(for: p) != first[Array(p.utf8)]
                || t.decodeBytes([Int32(i)], skipSpecial: false) != bytes { wrong += 1 }
        }
        #expect(wrong == 0)
    }
}
