#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The write end of the pipe the signal handler writes to (a C handler cannot capture state).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// A request to stop serving, delivered through a pipe so the accept loop can `poll` for it
/// next to the listening socket; SIGINT and SIGTERM trigger it once installed.
public final class StopRequest: @unchecked Sendable {
    let readEnd: Int32
    private let writeEnd: Int32

    public init() {
        var ends: [Int32] = [-1, -1]
        _ = pipe(&ends)
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    public func trigger() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Routes SIGINT and SIGTERM to `trigger` (async-signal-safe: the handler only writes a byte),
    /// and ignores SIGPIPE so a vanished client is an error code, not the end of the server.
    public func installSignalHandlers() {
        signalPipeWriteEnd = writeEnd
        let handler: @convention(c) (Int32) -> Void = { _ in
            var byte: UInt8 = 1
            _ = write(signalPipeWriteEnd, &byte, 1)
        }
        // A parent may have left these blocked (the mask survives exec); unblock before threads start.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        signal(SIGPIPE, SIG_IGN)
    }
}
