import AlignSyntax

/// The state compiled code shares while it runs: the machine, the output sink and the
/// assertion failures. It is also what built-ins see as `InterpreterServices`.
final class Runtime: InterpreterServices {
    let machine: Machine
    var outputSink: (String) -> Void
    var scriptDirectory: String
    var displayWidth: Int
    /// Failed `assert` calls, in order; execution continues after each.
    var assertionFailures: [Diagnostic] = []
    /// Receives a run's one-line progress (an empty line when it ends); nil shows none.
    var progressSink: ((String) -> Void)?
    /// Folder under which `run` blocks create `<name>/`.
    var runsDirectory = "runs"
    /// Script, modules, params and prompts of the running program, for run manifests.
    var provenance: () -> RunProvenance = { RunProvenance(script: nil, modules: [], params: Record(), prompts: [], toolVersion: "dev") }

    /// Call-stack notes kept on one diagnostic before the rest are summarised.
    static let maxCallNotes = 16

    init(machine: Machine, scriptDirectory: String, displayWidth: Int, output: @escaping (String) -> Void) {
        self.machine = machine
        self.scriptDirectory = scriptDirectory
        self.displayWidth = displayWidth
        self.outputSink = output
    }

    func output(_ text: String) { outputSink(text) }

    var interruption: Interruption { machine.interruption }

    func call(_ function: Value, _ arguments: [Value], at span: SourceSpan) throws -> Value {
        try callValue(function, positional: arguments, positionalSpans: nil, named: [], at: span)
    }

    /// Adds `in fn \`name\` called at …` to an error leaving a call.
    func annotate(_ error: any Error, calling name: String, at span: SourceSpan) -> any Error {
        guard var d = error as? Diagnostic else { return error }
        if d.notes.count < Runtime.maxCallNotes {
            d.notes.append("in fn `\(name)` called at \(span.description)")
        } else if d.notes.count == Runtime.maxCallNotes {
            d.notes.append("… (outer calls omitted)")
        }
        return d
    }

    func tooDeep(_ span: SourceSpan) -> Diagnostic {
        .error("recursion too deep", at: span, label: "this call",
               help: "calls may nest at most \(machine.maxDepth) deep; look for a recursion without a base case")
    }
}

/// Entering and leaving the frame of a user function.
extension FunctionCode {
    /// Calls with exactly one positional argument per parameter, all on the stack, and no
    /// captured variables: the path recursive functions take.
    @inline(__always)
    func invokeFast(_ f: UserFunction, _ args: (UnsafeMutablePointer<Value>) -> Void,
                    at span: SourceSpan) throws -> Value {
        let m = runtime.machine
        let r = m.registers
        let top = r.pointee.stackTop
        let newTop = top + frameSize
        if newTop > m.stackCapacity || r.pointee.depth >= m.maxDepth { throw runtime.tooDeep(span) }
        try m.step(at: span)
        let base = m.stack + top
        // `args` initializes the parameter slots; the other locals start as null. Slots are
        // set and cleared one by one: the bulk pointer operations go through generic runtime calls.
        args(base)
        var i = parameters.count
        while i < frameSize { (base + i).initialize(to: .null); i += 1 }
        r.pointee.stackTop = newTop
        r.pointee.depth += 1
        defer {
            var j = 0
            while j < frameSize { _ = (base + j).move(); j += 1 }
            r.pointee.stackTop = top
            r.pointee.depth -= 1
        }
        return try body(Activation(base: base, environment: f.captured))
    }

    /// The general path: binds positional and named arguments, fills defaults, reports
    /// missing, unknown and surplus arguments.
    func invoke(_ f: UserFunction, positional: [Value], named: [NamedArgument],
                at span: SourceSpan) throws -> Value {
        if positional.count > parameters.count {
            let extra = positional.count - parameters.count
            throw Diagnostic.error("too many arguments to `\(name)`: expected at most \(parameters.count), got \(positional.count)",
                                   at: span, label: "\(extra) extra", help: "the signature is `\(signature)`")
        }
        var given = [Value?](repeating: nil, count: parameters.count)
        for (i, v) in positional.enumerated() { given[i] = v }
        for arg in named {
            guard let i = parameters.firstIndex(where: { $0.name == arg.label.name }) else {
                throw unknownArgument(arg.label, candidates: parameters.map(\.name), callee: name, signature: signature)
            }
            if given[i] != nil {
                throw Diagnostic.error("argument `\(arg.label.name)` given twice", at: arg.label.span,
                                       help: "the signature is `\(signature)`")
            }
            given[i] = arg.value
        }
        for (i, p) in parameters.enumerated() where given[i] == nil && p.defaultValue == nil {
            throw Diagnostic.error("missing argument `\(p.name)` in call to `\(name)`", at: span,
                                   help: "the signature is `\(signature)`")
        }
        let m = runtime.machine
        let r = m.registers
        let top = r.pointee.stackTop
        let newTop = top + frameSize
        if newTop > m.stackCapacity || r.pointee.depth >= m.maxDepth { throw runtime.tooDeep(span) }
        try m.step(at: span)
        let base = m.stack + top
        base.initialize(repeating: .null, count: frameSize)
        r.pointee.stackTop = newTop
        r.pointee.depth += 1
        defer {
            base.deinitialize(count: frameSize)
            r.pointee.stackTop = top
            r.pointee.depth -= 1
        }
        let environment = environmentSize.map { Environment(count: $0, parent: f.captured) } ?? f.captured
        let activation = Activation(base: base, environment: environment)
        // Defaults run in order in the callee, so a default may use earlier parameters.
        for (i, p) in parameters.enumerated() {
            let value: Value
            if let v = given[i] { value = v } else if let d = p.defaultValue { value = try d(activation) } else { value = .null }
            switch p.storage {
            case .stack(let s): base[s] = value
            case .environment(let e): environment?.slots[e] = value
            }
        }
        return try body(activation)
    }
}

/// A `name: value` argument after evaluation.
struct NamedArgument {
    let label: Identifier
    let value: Value
    let span: SourceSpan
}

/// An unknown keyword argument, with a suggestion when one parameter is close.
func unknownArgument(_ label: Identifier, candidates: [String], callee: String, signature: String) -> Diagnostic {
    let help: String
    if let s = Suggestion.closest(to: label.name, among: candidates) {
        help = "did you mean `\(s)`? the signature is `\(signature)`"
    } else {
        help = "the signature is `\(signature)`"
    }
    return .error("`\(callee)` has no parameter `\(label.name)`", at: label.span, label: "unknown argument", help: help)
}
