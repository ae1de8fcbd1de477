import Foundation
import Synchronization

/// Serves many independent generation requests on one model: a single scheduler thread owns the
/// model; requests join the running batch between decode steps and leave as soon as they finish,
/// so nobody waits for the slowest member of a batch (iteration-level scheduling, as in Orca
/// (OSDI '22) and vLLM).
///
/// Each step is one `forward([Input])` that carries the live sequences' next tokens together with
/// the waiting prompts (up to `prefillTokensPerStep` prompt tokens), so arrivals neither stall the
/// decoding batch nor wait for it (mixed prefill and decode, as vLLM's chunked prefill). A
/// sequence's output depends only on its own request and seed, so greedy text equals in-process
/// `generate` (see `ContinuousBatcher+Step.swift` for when a prompt is prefilled alone instead).
public final class ContinuousBatcher: @unchecked Sendable {
    public struct Limits: Sendable {
        /// Sequences decoded together.
        public var maxActive: Int
        /// Sequences waiting for a place in the batch; beyond that `submit` refuses (`busy`).
        public var maxQueued: Int
        /// Prompt tokens per step (beside one row per decoding sequence), so a burst of long
        /// prompts delays the decoding sequences' next token by a bounded amount.
        public var prefillTokensPerStep: Int

        public init(maxActive: Int = 32, maxQueued: Int = 256, prefillTokensPerStep: Int = 256) {
            self.maxActive = max(1, maxActive)
            self.maxQueued = max(0, maxQueued)
            self.prefillTokensPerStep = max(1, prefillTokensPerStep)
        }
    }

    /// One sequence to run, with what the caller wants back besides the text.
    public struct Submission: Sendable {
        public var request: GenerationRequest
        /// Log-probabilities of the sampled tokens, with this many top alternatives (nil: none).
        public var sampledLogprobs: Int?
        /// Log-probabilities of the prompt tokens themselves (OpenAI `echo` + `logprobs`).
        public var promptLogprobs: Bool

        public init(request: GenerationRequest, sampledLogprobs: Int? = nil, promptLogprobs: Bool = false) {
            self.request = request
            self.sampledLogprobs = sampledLogprobs
            self.promptLogprobs = promptLogprobs
        }
    }

    /// What a sequence reports, in order: tokens as they are sampled, then exactly one of
    /// `finished` or `failed` (nothing after a cancellation).
    public enum Event: Sendable {
        /// `text` is the newly safe-to-show text (empty while a stop string or character is open).
        case token(id: Int32, text: String, logprob: TokenLogprob?)
        case finished(GenerationResult, promptLogprobs: [TokenLogprob?])
        case failed(EngineError)
    }

    public enum Refusal: Error, Sendable, Equatable {
        /// The batch and the queue are full.
        case busy
        /// `shutdown` was called.
        case stopped
    }

    public let model: LlamaModel
    public let codec: any TextCodec
    public let contextLength: Int
    public let limits: Limits
    /// Whether prompts of any length can share a pass with other sequences and still get the
    /// numbers of a pass of their own (see `sharesPassesExactly`).
    let promptsShareExactly: Bool

    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var queue: [BatchedSequence] = []
    private var activeCount = 0
    private var stopping = false
    /// Set when the shutdown grace has run out: live sequences fail with `cancelled`.
    private var abandoning = false
    private var stopped = false
    /// Owned by the scheduler thread.
    private var active: [BatchedSequence] = []
    private let nextID = Atomic<Int>(0)

    public init(model: LlamaModel, codec: any TextCodec, contextLength: Int, limits: Limits = Limits()) {
        self.model = model
        self.codec = codec
        self.contextLength = min(contextLength, model.config.maxPositions)
        self.limits = limits
        promptsShareExactly = Self.sharesPassesExactly(model)
        let thread = Thread { [self] in run() }
        thread.name = "align-batcher"
        thread.start()
    }

    /// Queues `submissions` as a group (all or none, so a multi-prompt request is never half
    /// refused). `onEvent` is called on the scheduler thread with the submission's index: keep it
    /// short. Returns the ids to `cancel`.
    public func submit(_ submissions: [Submission],
                       onEvent: @escaping @Sendable (Int, Event) -> Void) throws(Refusal) -> [Int] {
        let sequences = submissions.enumerated().map { index, s in
            BatchedSequence(id: nextID.add(1, ordering: .relaxed).newValue, submission: s, model: model, codec: codec) {
                onEvent(index, $0)
            }
        }
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { throw .stopped }
        guard activeCount + queue.count + sequences.count <= limits.maxActive + limits.maxQueued else { throw .busy }
        queue += sequences
        condition.signal()
        return sequences.map(\.id)
    }

    /// Drops the sequences with these ids (a client went away); they report nothing more.
    public func cancel(_ ids: [Int]) {
        condition.lock()
        defer { condition.unlock() }
        queue.removeAll { ids.contains($0.id) }
        for s in active where ids.contains(s.id) { s.cancelled.store(true, ordering: .relaxed) }
    }

    /// Sequences decoding or waiting.
    public var load: (active: Int, queued: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (activeCount, queue.count)
    }

    /// Refuses new work, lets running sequences finish for up to `grace` seconds, fails the rest
    /// (and everything queued) with `cancelled`, and returns when the scheduler thread has left.
    public func shutdown(grace: Double) {
        condition.lock()
        stopping = true
        let waiting = queue
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
        for s in waiting { s.emit(.failed(.cancelled)) }
        let deadline = Date(timeIntervalSinceNow: max(0, grace))
        condition.lock()
        while !stopped {
            if Date() >= deadline { abandoning = true }
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.05))
        }
        condition.unlock()
    }

    // MARK: - Scheduler thread

    private func run() {
        while admit() { step(active) }
        condition.lock()
        stopped = true
        activeCount = 0
        condition.broadcast()
        condition.unlock()
    }

    /// Moves queued sequences into the batch; waits while there is nothing to do. False: stop.
    private func admit() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if abandoning {
            for s in active where !s.isDone && !s.cancelled.load(ordering: .relaxed) { s.emit(.failed(.cancelled)) }
            active.removeAll()
        }
        active.removeAll { $0.isDone || $0.cancelled.load(ordering: .relaxed) }
        activeCount = active.count
        while queue.isEmpty && active.isEmpty && !stopping { condition.wait() }
        if stopping && active.isEmpty { return false }
        while active.count < limits.maxActive && !queue.isEmpty { active.append(queue.removeFirst()) }
        activeCount = active.count
        return true
    }
}
