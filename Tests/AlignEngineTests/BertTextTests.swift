import Foundation
import Testing
@testable import AlignEngine

/// Text in, label out: the folder's WordPiece tokenizer (vocab.txt) feeding the tiny classifiers,
/// padded batch and attention mask included, against transformers' BertTokenizer + model.
@Suite struct BertTextTests {
    @Test(arguments: ["dr", "cams", "sad"])
    func textsToLogits(name: String) throws {
        let reference = try BertTests.reference()
        let texts = reference["texts"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let folder = BertTests.root + "/" + name
        guard let tokenizer = try TokenizerLoader.load(directory: folder) as? WordPieceTokenizer else {
            Issue.record("\(folder) did not load as WordPiece")
            return
        }
        let batch = tokenizer.encodeBatch(texts, maxLength: reference["max_length"]?.intValue)
        let unpadded = zip(batch.ids, batch.attentionMask).map { ids, mask in Array(ids.prefix(mask.filter { $0 != 0 }.count)) }
        #expect(unpadded == (try BertTests.ids()))

        let classifier = try BertSequenceClassifier(folder: folder)
        let encoding = try classifier.encoder.encode(batch.ids, tokenTypes: batch.typeIds, attentionMask: batch.attentionMask)
        let packed = try classifier.encoder.encode(unpadded)
        for s in unpadded.indices {
            #expect(BertTests.normalizedError(encoding.token(sequence: s, position: 0), packed.token(sequence: s, position: 0)) <= 1e-5)
        }
        let expected = BertTests.matrix(reference[name]?["logits"])
        #expect(BertTests.relativeError(try classifier.logits(unpadded), expected) <= 1e-4)
    }
}
