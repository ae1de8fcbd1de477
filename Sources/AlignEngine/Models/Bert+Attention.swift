import CKernels

extension BertModel {
    /// Scaled dot-product attention, softmax(Q·Kᵀ/√d)·V, for every (sequence, head) pair: each
    /// pair is one piece of work for the pool, on its sequence's rows only (no padding), with
    /// the scores in the calling thread's own block (`ck_bert_attend_head`).
    /// Matches: transformers `BertSelfAttention` (eager), masked keys weighted 0.
    func attend(_ batch: BertBatch, _ s: BertScratch, _ work: BertParallel) {
        let h = config.hiddenSize, d = config.headDim, heads = config.headCount
        let stride = 3 * h
        let scale = 1 / Float(d).squareRoot()
        work.forEachChunk(batch.lengths.count * heads, chunk: 1) { part, pairs in
            let scratch = s.attention + part * s.attentionPerThread
            for pair in pairs {
                let seq = pair / heads, head = pair % heads
                let len = batch.lengths[seq], offset = batch.offsets[seq]
                let q = s.queryKeyValue + offset * stride + head * d
                let out = s.context + offset * h + head * d
                if let keep = batch.keep[seq] {
                    keep.withUnsafeBufferPointer { keep in
                        ck_bert_attend_head(q, q + h, q + 2 * h, stride, Int32(len), Int32(d), scale, keep.baseAddress,
                                            scratch, out, h)
                    }
                } else {
                    ck_bert_attend_head(q, q + h, q + 2 * h, stride, Int32(len), Int32(d), scale, nil, scratch, out, h)
                }
            }
        }
    }
}
