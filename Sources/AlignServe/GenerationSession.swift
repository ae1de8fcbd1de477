import AlignEngine
import Foundation

/// One HTTP request's sequences in the batcher: events arrive on the scheduler thread and are
/// handed to the connection's thread, which also notices a client that went away and cancels.
/// A whole (non-streamed) answer wakes its thread only when a sequence ends: with 64 clients,
/// waking 64 threads per decode step would take CPU time from the model on a small machine.
final class GenerationSession: @unchecked Sendable {
    private let batcher: ContinuousBatcher
    private let condition = NSCondition()
    private var pending: [(Int, ContinuousBatcher.Event)] = []
    private var ids: [Int] = []
    let count: Int
    /// Whether each token wakes the connection's thread (streaming), or only each sequence's end.
    private let wakesOnTokens: Bool

    /// Queues `submissions`; a full server is a 429, a stopping one a 503.
    init(batcher: ContinuousBatcher, submissions: [ContinuousBatcher.Submission], streaming: Bool) throws(APIError) {
        self.batcher = batcher
        count = submissions.count
        wakesOnTokens = streaming
        do {
            ids = try batcher.submit(submissions) { [weak self] index, event in self?.deliver(index, event) }
        } catch .busy {
            throw APIError(status: 429, message: "the server is busy (batch and queue are full); retry shortly",
                           type: "rate_limit_error", code: "rate_limit_exceeded")
        } catch {
            throw APIError(status: 503, message: "the server is shutting down", type: "server_error", code: "shutting_down")
        }
    }

    private func deliver(_ index: Int, _ event: ContinuousBatcher.Event) {
        condition.lock()
        pending.append((index, event))
        switch event {
        case .token: if wakesOnTokens { condition.signal() }
        case .finished, .failed: condition.signal()
        }
        condition.unlock()
    }

    /// Hands each event to `body` in arrival order until every sequence has finished or failed.
    /// Returns false (after cancelling the rest) when `body` returns false or the client is gone.
    func forEachEvent(watching responder: HTTPResponder, _ body: (Int, ContinuousBatcher.Event) -> Bool) -> Bool {
        var open = count
        while open > 0 {
            condition.lock()
            if pending.isEmpty { _ = condition.wait(until: Date(timeIntervalSinceNow: 0.2)) }
            let events = pending
            pending.removeAll()
            condition.unlock()
            if events.isEmpty && responder.clientHasGone {
                batcher.cancel(ids)
                return false
            }
            for (index, event) in events {
                switch event {
                case .finished, .failed: open -= 1
                case .token: break
                }
                guard body(index, event) else {
                    batcher.cancel(ids)
                    return false
                }
            }
        }
        return true
    }

    /// The API error for an engine failure: bad arguments are the caller's (400), the rest ours.
    static func apiError(_ error: EngineError) -> APIError {
        switch error {
        case .invalidArgument(let message): .invalid(message)
        case .cancelled: APIError(status: 503, message: "the request was cancelled (server shutting down)", type: "server_error", code: "cancelled")
        default: APIError(status: 500, message: error.description, type: "server_error", code: "internal_error")
        }
    }
}
