#if canImport(Glibc)
import Glibc
#endif

/// Runs the evaluator on a thread with a 256 MB stack, so that the call-depth limit (not the
/// native stack) is what stops deep recursion. Untouched stack pages are never committed.
enum LargeStack {
    static let size = 256 << 20

    private final class Job: @unchecked Sendable {
        var work: (() -> Void)?
    }

    static func run<T>(_ body: () -> T) -> T {
        withoutActuallyEscaping(body) { body in
            var result: T?
            let job = Job()
            job.work = { result = body() }
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            pthread_attr_setstacksize(&attributes, size)
            var thread = pthread_t()
            let context = Unmanaged.passRetained(job).toOpaque()
            let rc = pthread_create(&thread, &attributes, { raw in
                guard let raw else { return nil }
                let job = Unmanaged<Job>.fromOpaque(raw).takeRetainedValue()
                job.work?()
                job.work = nil
                return nil
            }, context)
            if rc != 0 {
                // No thread available: run here with the default stack rather than fail.
                Unmanaged<Job>.fromOpaque(context).release()
                return body()
            }
            pthread_join(thread, nil)
            guard let result else { return body() }
            return result
        }
    }
}
