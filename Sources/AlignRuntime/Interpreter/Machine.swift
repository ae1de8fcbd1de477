import AlignSyntax
import Synchronization

/// Set from another thread (the REPL's Ctrl-C handler) to stop the running code at the next loop
/// iteration or call; atomic so that the signal handler side never races the evaluator.
public final class Interruption: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func request() { flag.store(true, ordering: .relaxed) }
    public func clear() { flag.store(false, ordering: .relaxed) }
    public var isRequested: Bool { flag.load(ordering: .relaxed) }
}

/// What changes on every call and loop iteration. Kept behind a pointer so compiled closures
/// reach it without class-property exclusivity checks on the hot path.
struct Registers {
    /// First free slot of the value stack.
    var stackTop = 0
    /// Number of user-function calls in progress.
    var depth = 0
    /// Loop iterations and calls so far.
    var steps = 0
    /// When `steps` reaches this, `Machine.checkpoint` looks at the budget and the interruption flag.
    var nextCheckpoint = 1024
    /// Value of a `return` travelling to its function.
    var returnValue = Value.null
}

/// The evaluator's memory: a value stack for function locals that no closure captures, the
/// registers, and the limits that turn runaway scripts into diagnostics.
final class Machine {
    static let checkpointInterval = 1024

    let stack: UnsafeMutablePointer<Value>
    let stackCapacity: Int
    let registers: UnsafeMutablePointer<Registers>
    let maxDepth: Int
    /// Total steps allowed (nil: unlimited).
    let stepBudget: Int?
    let interruption: Interruption

    init(stackCapacity: Int, maxDepth: Int, stepBudget: Int?, interruption: Interruption) {
        // Pages of an untouched allocation are never committed, so a large capacity costs nothing.
        self.stack = .allocate(capacity: stackCapacity)
        self.stackCapacity = stackCapacity
        self.registers = .allocate(capacity: 1)
        self.registers.initialize(to: Registers())
        self.maxDepth = maxDepth
        self.stepBudget = stepBudget
        self.interruption = interruption
        resetCheckpoint()
    }

    deinit {
        registers.deinitialize(count: 1)
        registers.deallocate()
        stack.deallocate()
    }

    /// Prepares for a new top-level execution after an earlier one finished or failed.
    func reset() {
        registers.pointee.stackTop = 0
        registers.pointee.depth = 0
        registers.pointee.steps = 0
        registers.pointee.returnValue = .null
        resetCheckpoint()
    }

    private func resetCheckpoint() {
        let next = registers.pointee.steps + Machine.checkpointInterval
        registers.pointee.nextCheckpoint = stepBudget.map { min($0, next) } ?? next
    }

    /// Counts one step; cheap unless a checkpoint is due.
    @inline(__always)
    func step(at span: SourceSpan) throws {
        let r = registers
        r.pointee.steps &+= 1
        if r.pointee.steps >= r.pointee.nextCheckpoint { try checkpoint(at: span) }
    }

    func checkpoint(at span: SourceSpan) throws {
        if interruption.isRequested {
            throw Diagnostic.error("interrupted", at: span)
        }
        if let budget = stepBudget, registers.pointee.steps >= budget {
            throw Diagnostic.error("step budget of \(budget) exhausted", at: span,
                                   help: "the script ran longer than the evaluator allows here")
        }
        resetCheckpoint()
    }
}

/// Where a compiled function body finds its variables: `base` points at its slots on the value
/// stack, `environment` holds the variables that inner functions capture.
struct Activation {
    let base: UnsafeMutablePointer<Value>
    let environment: Environment?
}

/// Heap storage for the variables of one function call that closures capture (so they outlive
/// the call), chained to the environment of the function that created the closure.
final class Environment {
    let slots: UnsafeMutablePointer<Value>
    let count: Int
    let parent: Environment?

    init(count: Int, parent: Environment?) {
        self.slots = .allocate(capacity: count)
        self.slots.initialize(repeating: .null, count: count)
        self.count = count
        self.parent = parent
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    @inline(__always)
    func ancestor(_ hops: Int) -> Environment {
        var e = self
        var h = hops
        // hops are computed by the compiler from the same scope chain, so the parents exist.
        while h > 0, let p = e.parent { e = p; h -= 1 }
        return e
    }
}

/// How a statement finished.
enum Flow: UInt8 {
    case normal, breakLoop, continueLoop, returned
}

/// A `break`, `continue` or `return` inside an `if` used as a value in the middle of an
/// expression; caught at the enclosing statement, which turns it back into a `Flow`.
struct FlowSignal: Error {
    let flow: Flow
}

typealias Eval = (Activation) throws -> Value
typealias Exec = (Activation) throws -> Flow
