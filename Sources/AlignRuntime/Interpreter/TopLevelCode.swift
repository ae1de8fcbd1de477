import AlignSyntax

/// A compiled file or REPL cell: hoisted functions, then the statements in order.
final class TopLevelCode {
    let prologue: [(slot: GlobalScope.Slot, make: Eval)]
    let statements: [Exec]
    /// The value of a final expression statement (what the REPL shows).
    let lastValue: Eval?
    let frameSize: Int
    let environmentSize: Int?
    let globals: GlobalScope
    let span: SourceSpan

    init(prologue: [(slot: GlobalScope.Slot, make: Eval)], statements: [Exec], lastValue: Eval?,
         frameSize: Int, environmentSize: Int?, globals: GlobalScope, span: SourceSpan) {
        self.prologue = prologue
        self.statements = statements
        self.lastValue = lastValue
        self.frameSize = frameSize
        self.environmentSize = environmentSize
        self.globals = globals
        self.span = span
    }

    /// Runs on `machine`, above whatever frames are active (modules run inside an import).
    func run(on machine: Machine, runtime: Runtime) throws -> Value {
        let r = machine.registers
        let top = r.pointee.stackTop
        guard top + frameSize <= machine.stackCapacity else { throw runtime.tooDeep(span) }
        let base = machine.stack + top
        base.initialize(repeating: .null, count: frameSize)
        r.pointee.stackTop = top + frameSize
        defer {
            base.deinitialize(count: frameSize)
            r.pointee.stackTop = top
        }
        let a = Activation(base: base, environment: environmentSize.map { Environment(count: $0, parent: nil) })
        for (slot, make) in prologue { slot.define(try make(a)) }
        for s in statements { _ = try s(a) }
        return try lastValue?(a) ?? .null
    }
}
