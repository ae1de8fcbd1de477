import Foundation
import Synchronization

/// Runs `count` blocking jobs at most `width` at a time on their own threads and returns their
/// results in input order. Plain threads rather than Swift tasks: each job blocks on network I/O,
/// and the caller (the interpreter) is synchronous. After the first failure no new job starts;
/// the failure of the lowest index is thrown, so the error does not depend on timing. The
/// caller's `Cancellation` check reaches the workers, so Ctrl-C stops every request in flight.
enum OrderedConcurrentMap {
    static func map<T: Sendable>(_ count: Int, width: Int,
                                 _ job: @escaping @Sendable (Int) throws(RemoteError) -> T) throws(RemoteError) -> [T] {
        if count == 0 { return [] }
        if count == 1 || width <= 1 {
            var out: [T] = []
            for i in 0..<count { out.append(try job(i)) }
            return out
        }
        let state = State<T>(count: count)
        let stop = StopFlag()
        let group = DispatchGroup()
        for _ in 0..<min(width, count) {
            group.enter()
            let worker = Thread {
                Cancellation.whenRequested({ stop.value.load(ordering: .relaxed) }) {
                    while let i = state.claim() {
                        do throws(RemoteError) { state.finish(i, .success(try job(i))) } catch { state.finish(i, .failure(error)) }
                    }
                }
                group.leave()
            }
            worker.stackSize = 1 << 20
            worker.start()
        }
        // The caller's Ctrl-C check is bound to this thread only: poll it and pass it on.
        while group.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if Cancellation.isRequestedHere { stop.value.store(true, ordering: .relaxed) }
        }
        return try state.results()
    }

    /// Set by the caller's thread when its Ctrl-C check fires; the workers' check reads it.
    private final class StopFlag: Sendable {
        let value = Atomic<Bool>(false)
    }

    /// The shared queue position and result slots, behind one lock.
    private final class State<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var failed = false
        private var slots: [Result<T, RemoteError>?]

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func claim() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard !failed, next < slots.count else { return nil }
            next += 1
            return next - 1
        }

        func finish(_ i: Int, _ result: Result<T, RemoteError>) {
            lock.lock()
            defer { lock.unlock() }
            slots[i] = result
            if case .failure = result { failed = true }
        }

        func results() throws(RemoteError) -> [T] {
            lock.lock()
            defer { lock.unlock() }
            var out: [T] = []
            out.reserveCapacity(slots.count)
            for slot in slots {
                switch slot {
                case .success(let value)?: out.append(value)
                case .failure(let error)?: throw error
                case nil: continue
                }
            }
            return out
        }
    }
}
