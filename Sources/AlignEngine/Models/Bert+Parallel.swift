import CBLAS
import Synchronization

/// How the encoder spreads one forward pass over the engine's worker pool.
///
/// Every step is split into independent pieces (row chunks of the packed batch, or one
/// (sequence, head) pair of attention) that the pool's threads take one at a time from a shared
/// counter, so a thread slowed by another process does not hold the rest back. Dense layers use
/// the packed kernel (`BertPackedLinear`); attention calls OpenBLAS, limited to one thread so its
/// threads do not fight the pool's. Handing out whole row chunks lets the bias, GELU, residual and
/// LayerNorm passes run on rows still in cache.
struct BertParallel {
    let pool: WorkerPool

    var threads: Int { pool.threadCount }

    /// Calls `body(part, range)` for consecutive ranges of `chunk` items covering `0..<count`;
    /// `part` (below `threads`) identifies the calling thread, for per-thread scratch.
    func forEachChunk(_ count: Int, chunk: Int, _ body: (Int, Range<Int>) -> Void) {
        let size = max(chunk, 1)
        let chunks = (count + size - 1) / size
        guard chunks > 1, threads > 1 else {
            if count > 0 { body(0, 0..<count) }
            return
        }
        let next = Atomic<Int>(0)
        pool.run { part in
            while true {
                let c = next.add(1, ordering: .relaxed).oldValue
                guard c < chunks else { return }
                body(part, (c * size)..<min(count, (c + 1) * size))
            }
        }
    }

    /// Rows per chunk of a row-wise step over `rows` rows: about four chunks per thread, so a
    /// thread slowed by another process leaves work the others can take, and at most 72 rows (a
    /// multiple of the kernel's 6-row tile) so a chunk's feed-forward activations stay in L2.
    func rowChunk(_ rows: Int) -> Int {
        let target = (rows + 4 * threads - 1) / (4 * threads)
        return min(72, max(12, (target + 5) / 6 * 6))
    }

    /// Runs `body` with OpenBLAS single-threaded (see `BLASThreading`).
    func withSingleThreadedBLAS(_ body: () -> Void) {
        BLASThreading.useOneThread()
        body()
    }
}
