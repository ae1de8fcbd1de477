import AlignSyntax

/// How a name was introduced; decides whether it may be assigned and how messages describe it.
enum BindingKind: String {
    case letBinding = "let", varBinding = "var", function = "fn", objective = "objective"
    case prompt = "prompt", param = "param", importedName = "import", parameter = "parameter"
    case loopVariable = "for"

    var isAssignable: Bool { self == .varBinding || self == .parameter }

    /// How the definition reads in a diagnostic: "defined with `let`".
    var definedWith: String {
        switch self {
        case .parameter: "a function parameter"
        case .loopVariable: "a loop variable"
        default: "defined with `\(rawValue)`"
        }
    }
}

/// The top-level names of one script, module or REPL session. Each name owns a heap cell, so
/// compiled code reads a global through a pointer it captured, with no lookup at run time.
final class GlobalScope {
    final class Slot {
        let name: String
        let kind: BindingKind
        let span: SourceSpan
        let cell: UnsafeMutablePointer<Value>
        /// Set when the defining statement has run; checked only by code compiled before the
        /// definition (function bodies referring to later globals).
        let isInitialized: UnsafeMutablePointer<Bool>
        /// Known at compile time when the statement defining it has been compiled (top-level
        /// code may only use names defined above it; `fn` and `prompt` are hoisted).
        var isDefinedStatically = false
        /// For static arity checks of calls to top-level functions.
        var function: FunctionDecl?
        /// For a top-level `fn` (never reassigned): the function, unretained (the cell holds
        /// the reference), so calls reach it without reference counting.
        let userFunction: UnsafeMutablePointer<Unmanaged<UserFunction>?>
        /// For static checks of `module.member` and `from m import x`.
        var module: CompiledModule?

        init(name: String, kind: BindingKind, span: SourceSpan) {
            self.name = name
            self.kind = kind
            self.span = span
            self.cell = .allocate(capacity: 1)
            self.cell.initialize(to: .null)
            self.isInitialized = .allocate(capacity: 1)
            self.isInitialized.initialize(to: false)
            self.userFunction = .allocate(capacity: 1)
            self.userFunction.initialize(to: nil)
        }

        deinit {
            cell.deinitialize(count: 1)
            cell.deallocate()
            isInitialized.deallocate()
            userFunction.deallocate()
        }

        func define(_ value: Value) {
            cell.pointee = value
            isInitialized.pointee = true
            if kind == .function, case .function(let f) = value, let u = f as? UserFunction {
                userFunction.pointee = Unmanaged.passUnretained(u)
            } else {
                userFunction.pointee = nil
            }
        }
    }

    private(set) var slots: [String: Slot] = [:]
    /// Names in definition order (module members keep it).
    private(set) var order: [String] = []
    /// Every slot ever made: compiled code holds pointers into slots that a REPL cell has
    /// since redefined, so none is freed before the scope.
    private var everySlot: [Slot] = []

    subscript(name: String) -> Slot? { slots[name] }

    /// Adds (or, in the REPL, replaces) a global.
    func declare(_ name: String, kind: BindingKind, span: SourceSpan) -> Slot {
        let slot = Slot(name: name, kind: kind, span: span)
        everySlot.append(slot)
        if slots[name] == nil { order.append(name) }
        slots[name] = slot
        return slot
    }

    var names: [String] { order }

    /// The members a module exposes: every initialized top-level name, in definition order.
    func members() -> Record {
        var r = Record()
        for name in order {
            if let s = slots[name], s.isInitialized.pointee { r[name] = s.cell.pointee }
        }
        return r
    }
}

extension GlobalScope {
    struct Snapshot {
        let slots: [String: Slot]
        let order: [String]
    }

    func snapshot() -> Snapshot { Snapshot(slots: slots, order: order) }

    /// Forgets names declared since `snapshot` (a REPL cell that failed to compile).
    func restore(_ s: Snapshot) {
        slots = s.slots
        order = s.order
    }
}
