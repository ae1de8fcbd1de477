/// Encoder inputs for a batch: ids padded to the longest row, with attention masks and segment
/// (token type) ids, as BERT classifiers and sentence embedders consume them.
public struct EncodedBatch: Sendable, Equatable {
    public var ids: [[Int32]]
    /// 1 for real tokens, 0 for padding.
    public var attentionMask: [[Int32]]
    /// 0 for the first text, 1 for the second of a pair.
    public var typeIds: [[Int32]]
}

extension WordPieceTokenizer {
    /// `[CLS] a [SEP]` or `[CLS] a [SEP] b [SEP]`, truncated to `maxLength` tokens.
    ///
    /// Matches: HF `tokenizers` `BertProcessing` with `TruncationStrategy::LongestFirst`
    /// (remove from the longer text one token at a time; ties shorten the second).
    public func encodePair(_ a: String, _ b: String? = nil, maxLength: Int? = nil) -> (ids: [Int32], typeIds: [Int32]) {
        let limit = maxLength ?? self.maxLength
        var first = encodeWords(a)
        var second = b.map(encodeWords)
        let specials = second == nil ? 2 : 3
        let budget = max(0, limit - specials)
        if var s = second {
            while first.count + s.count > budget {
                if first.count > s.count { first.removeLast() } else { s.removeLast() }
            }
            second = s
        } else if first.count > budget {
            first.removeLast(first.count - budget)
        }
        var ids: [Int32] = []
        var types: [Int32] = []
        func add(_ part: [Int32], type: Int32) {
            if ids.isEmpty, let cls { ids.append(cls); types.append(type) }
            ids.append(contentsOf: part)
            types.append(contentsOf: repeatElement(type, count: part.count))
            if let sep { ids.append(sep); types.append(type) }
        }
        add(first, type: 0)
        if let second { add(second, type: 1) }
        return (ids, types)
    }

    /// A padded batch (pad to the longest row, on the right).
    public func encodeBatch(_ texts: [String], pairs: [String]? = nil, maxLength: Int? = nil) -> EncodedBatch {
        let rows = texts.indices.map { i in
            encodePair(texts[i], pairs.flatMap { $0.indices.contains(i) ? $0[i] : nil }, maxLength: maxLength)
        }
        let width = rows.map(\.ids.count).max() ?? 0
        let pad = specialTokens.pad ?? 0
        var batch = EncodedBatch(ids: [], attentionMask: [], typeIds: [])
        for row in rows {
            let missing = width - row.ids.count
            batch.ids.append(row.ids + repeatElement(pad, count: missing))
            batch.attentionMask.append(Array(repeating: 1, count: row.ids.count) + repeatElement(0, count: missing))
            batch.typeIds.append(row.typeIds + repeatElement(0, count: missing))
        }
        return batch
    }
}
