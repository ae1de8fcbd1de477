import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A persistent pool of worker threads for sub-millisecond parallel loops (a decode-step matvec
/// takes ~30 µs; `DispatchQueue.concurrentPerform` gives no speedup at that scale, see
/// swift-notes "Threading for small matvecs"). The caller runs part 0 itself. Idle workers spin
/// briefly, then park on a condition variable so an idle REPL does not burn a core.
public final class WorkerPool: @unchecked Sendable {
    /// The process-wide pool. Thread count: `ALIGN_THREADS`, else the number of online CPUs.
    public static let shared = WorkerPool(threads: WorkerPool.defaultThreadCount)

    public let threadCount: Int
    private let generation = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    /// Set by the caller before publishing a generation, read by workers after observing it.
    nonisolated(unsafe) private var job: ((Int) -> Void)?
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Serializes callers: models on different threads may share the pool.
    private let callerLock = Mutex<Void>(())
    private let wake: UnsafeMutablePointer<pthread_cond_t>
    /// Kernel scratch (dequantized rows), handed out under `callerLock`.
    private var scratchBuffer = FloatBuffer(count: 0)
    /// Spin iterations before a worker parks (~50-100 µs), long enough to catch the next layer's job.
    private let spinLimit = 20_000

    static var defaultThreadCount: Int {
        if let s = getenv("ALIGN_THREADS"), let n = Int(String(cString: s)), n >= 1 { return min(n, 64) }
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    public init(threads: Int) {
        threadCount = max(1, threads)
        mutex = .allocate(capacity: 1)
        wake = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        for index in 1..<threadCount {
            let box = Unmanaged.passRetained(WorkerStart(pool: self, index: index)).toOpaque()
            var tid = pthread_t()
            let rc = pthread_create(&tid, nil, { raw in
                guard let raw else { return nil }
                let start = Unmanaged<WorkerStart>.fromOpaque(raw).takeRetainedValue()
                start.pool.workerLoop(start.index)
                return nil
            }, box)
            if rc == 0 { pthread_detach(tid) }
        }
    }

    private final class WorkerStart {
        let pool: WorkerPool
        let index: Int
        init(pool: WorkerPool, index: Int) {
            self.pool = pool
            self.index = index
        }
    }

    /// Runs `body(part)` for every part in `0..<threadCount` and returns when all have finished.
    /// Callers on different threads take turns; calls must not nest.
    public func run(_ body: (Int) -> Void) {
        callerLock.withLock { _ in runLocked(body) }
    }

    private func runLocked(_ body: (Int) -> Void) {
        if threadCount == 1 { body(0); return }
        withoutActuallyEscaping(body) { escaping in
            job = escaping
            finished.store(0, ordering: .sequentiallyConsistent)
            generation.add(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(wake)
                pthread_mutex_unlock(mutex)
            }
            escaping(0)
            // On an oversubscribed machine the worker may not be running: yield instead of
            // burning the time slice it needs.
            var spins = 0
            while finished.load(ordering: .acquiring) != threadCount - 1 {
                spins += 1
                if spins > 2_000 { sched_yield() }
            }
            job = nil
        }
    }

    /// Splits `0..<count` into one contiguous chunk per thread, each a multiple of `granularity`
    /// (except the last), and runs `body(part, range, scratch)` for the non-empty chunks, where
    /// `scratch` is `scratchPerPart` floats owned by that part for the duration of the call.
    public func parallelFor(_ count: Int, granularity: Int = 1, scratchPerPart: Int = 0,
                            _ body: (Int, Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        callerLock.withLock { _ in
            let parts = threadCount
            if scratchBuffer.count < scratchPerPart * parts { scratchBuffer = FloatBuffer(count: scratchPerPart * parts) }
            let scratch = scratchBuffer.pointer
            if parts == 1 || count <= granularity {
                body(0, 0..<count, scratch)
                return
            }
            let units = (count + granularity - 1) / granularity
            runLocked { part in
                let lo = min(count, units * part / parts * granularity)
                let hi = min(count, units * (part + 1) / parts * granularity)
                if lo < hi { body(part, lo..<hi, scratch + part * scratchPerPart) }
            }
        }
    }

    private func workerLoop(_ index: Int) {
        var seen = 0
        while true {
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen && spins < spinLimit {
                spins += 1
                if spins > spinLimit / 4 { sched_yield() }
                current = generation.load(ordering: .acquiring)
            }
            if current == seen {
                pthread_mutex_lock(mutex)
                sleepers.add(1, ordering: .sequentiallyConsistent)
                current = generation.load(ordering: .sequentiallyConsistent)
                while current == seen {
                    pthread_cond_wait(wake, mutex)
                    current = generation.load(ordering: .sequentiallyConsistent)
                }
                sleepers.subtract(1, ordering: .sequentiallyConsistent)
                pthread_mutex_unlock(mutex)
            }
            seen = current
            job?(index)
            finished.add(1, ordering: .releasing)
        }
    }
}
