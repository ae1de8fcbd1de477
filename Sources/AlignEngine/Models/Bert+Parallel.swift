import Synchronization

/// How the encoder spreads one forward pass over the engine's worker pool.
///
/// Every step is split into independent pieces (row chunks of the packed batch, or one
/// (sequence, head) pair of attention) that the pool's threads take one at a time from a shared
/// counter, so a thread slowed by another process does not hold the rest back. Dense layers use
/// the packed kernel (`BertPackedLinear`); OpenBLAS (the classifier head) is limited to one
/// thread so its threads do not fight the pool's. Handing out whole row chunks lets the bias,
/// GELU, residual and LayerNorm passes run on rows still in cache.
struct BertParallel {
    let pool: WorkerPool

    var threads: Int { pool.threadCount }

    /// Calls `body(part, range)` for consecutive ranges of `chunk` items covering `0..<count`;
    /// `part` (below `threads`) identifies the calling thread, for per-thread scratch.
    func forEachChunk(_ count: Int, chunk: Int, _ body: (Int, Range<Int>) -> Void) {
        let size = max(chunk, 1)
        forEach((count + size - 1) / size, { c in (c * size)..<min(count, (c + 1) * size) }, body)
    }

    /// Calls `body(part, range)` for row chunks covering `0..<rows`, each a whole number of the
    /// dense kernel's 6-row tiles (but the last) and at most 72 rows, so a chunk's feed-forward
    /// activations stay in L2. The tiles are shared out evenly over a multiple of `threads`
    /// chunks, at least four per thread when there are enough, so that no thread is left with
    /// one chunk more than another and a thread slowed by another process leaves work the
    /// others can take. Single-threaded, the chunks still run one after the other, in cache.
    func forEachRowChunk(_ rows: Int, _ body: (Int, Range<Int>) -> Void) {
        let tile = 6, tilesPerChunk = 12
        let tiles = (rows + tile - 1) / tile
        guard tiles > 0 else { return }
        var chunks = max((tiles + tilesPerChunk - 1) / tilesPerChunk, min(tiles, 4 * threads))
        chunks = min(tiles, (chunks + threads - 1) / threads * threads)
        forEach(chunks, { c in min(rows, c * tiles / chunks * tile)..<min(rows, (c + 1) * tiles / chunks * tile) }, body)
    }

    /// Runs `body(part, range(c))` for every piece c in `0..<pieces`, shared out over the pool.
    private func forEach(_ pieces: Int, _ range: (Int) -> Range<Int>, _ body: (Int, Range<Int>) -> Void) {
        guard pieces > 1, threads > 1 else {
            for c in 0..<pieces { body(0, range(c)) }
            return
        }
        let next = Atomic<Int>(0)
        pool.run { part in
            while true {
                let c = next.add(1, ordering: .relaxed).oldValue
                guard c < pieces else { return }
                body(part, range(c))
            }
        }
    }

    /// Runs `body` with OpenBLAS single-threaded (see `BLAS.useOneThread`).
    func withSingleThreadedBLAS(_ body: () -> Void) {
        BLAS.useOneThread()
        body()
    }
}
