import Foundation

/// Stops long engine work from another thread: a caller binds a check (the REPL's Ctrl-C flag)
/// around engine calls on its thread, and generation loops look at it between steps, throwing
/// `.cancelled`. Bound per thread, so concurrent callers do not see each other's checks.
/// (A thread's dictionary rather than a task-local: engine calls are synchronous, and binding a
/// task-local from synchronous code inside a test task crashed swift_task_localValuePush here.)
public enum Cancellation {
    private static let key = "align.engine.cancellation"

    private final class Check {
        let isRequested: @Sendable () -> Bool
        init(_ isRequested: @escaping @Sendable () -> Bool) { self.isRequested = isRequested }
    }

    /// Runs `body` with `isRequested` as the check engine loops on this thread consult.
    public static func whenRequested<T, E: Error>(_ isRequested: @escaping @Sendable () -> Bool,
                                                  _ body: () throws(E) -> T) throws(E) -> T {
        let dictionary = Thread.current.threadDictionary
        let outer = dictionary[key]
        dictionary[key] = Check(isRequested)
        defer { dictionary[key] = outer }
        return try body()
    }

    /// Throws `.cancelled` if the caller asked to stop.
    static func checkpoint() throws(EngineError) {
        if let check = Thread.current.threadDictionary[key] as? Check, check.isRequested() { throw .cancelled }
    }
}
