import CBLAS
import Synchronization

/// How the encoder spreads one forward pass over the engine's worker pool.
///
/// Every step is split into independent pieces (row chunks of the packed batch, or one
/// (sequence, head) pair of attention) that the pool's threads take one at a time from a shared
/// counter, so a thread slowed by another process does not hold the rest back. Each piece calls
/// single-threaded OpenBLAS: OpenBLAS's own threads would fight the pool's, and handing out
/// whole row chunks lets the bias, GELU, residual and LayerNorm passes run on rows still in cache.
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

    /// Rows per chunk of a dense step over `rows` rows: about three chunks per thread, so a late
    /// thread finds work left, yet large enough that repacking the weights per chunk stays cheap.
    func rowChunk(_ rows: Int) -> Int {
        let target = (rows + 3 * threads - 1) / (3 * threads)
        return max(32, (target + 7) / 8 * 8)
    }

    /// Runs `body` with OpenBLAS limited to one thread when the pool has several, and restores
    /// the previous setting after.
    func withSingleThreadedBLAS(_ body: () -> Void) {
        guard threads > 1 else { return body() }
        let previous = openblas_get_num_threads()
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(previous) }
        body()
    }
}
