import CBLAS
import CKernels

extension BertModel {
    /// Scaled dot-product attention, softmax(Q·Kᵀ/√d)·V, for every (sequence, head) pair: each
    /// pair is one piece of work for the pool, on its sequence's rows only (no padding), with
    /// the scores in the calling thread's own block.
    /// Matches: transformers `BertSelfAttention` (eager), masked keys weighted 0.
    func attend(_ batch: BertBatch, _ s: BertScratch, _ work: BertParallel) {
        let h = config.hiddenSize, d = config.headDim, heads = config.headCount
        let stride = 3 * h
        let scale = 1 / Float(d).squareRoot()
        let everyKey = batch.keep.map { !$0.contains(false) }
        work.forEachChunk(batch.lengths.count * heads, chunk: 1) { part, pairs in
            let scores = s.scores + part * s.scoresPerThread
            for pair in pairs {
                let seq = pair / heads, head = pair % heads
                let len = batch.lengths[seq], offset = batch.offsets[seq]
                let q = s.queryKeyValue + offset * stride + head * d
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(len), Int32(len), Int32(d),
                            scale, q, Int32(stride), q + h, Int32(stride), 0, scores, Int32(len))
                if everyKey[seq] {
                    ck_bert_softmax_rows(scores, Int32(len), Int32(len))
                } else {
                    batch.keep[seq].withUnsafeBufferPointer { keep in
                        guard let keep = keep.baseAddress else { return }
                        BertMath.softmaxRows(scores, rows: len, cols: len, keep: keep)
                    }
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(len), Int32(d), Int32(len),
                            1, scores, Int32(len), q + 2 * h, Int32(stride), 0, s.context + offset * h + head * d, Int32(h))
            }
        }
    }
}
