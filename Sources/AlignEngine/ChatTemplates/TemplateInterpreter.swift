/// Runs a parsed template: statements write to `output`, expressions evaluate to `TemplateValue`s.
/// Scoping follows jinja2: a `for` body has its own scope (so `set` inside does not leak out, which
/// is why templates use `namespace()`), `if` bodies do not.
final class TemplateInterpreter {
    private var scopes: [[String: TemplateValue]]
    private(set) var output = ""
    /// Guards against templates that would run for ever or fill memory (`range(10**12)`).
    private var steps = 0
    private var depth = 0
    static let maxSteps = 1_000_000
    static let maxOutput = 64 << 20
    static let maxDepth = 64

    enum Flow { case normal, breakLoop, continueLoop }

    init(globals: [String: TemplateValue]) {
        scopes = [Self.builtins.merging(globals) { _, new in new }]
    }

    func lookup(_ name: String) -> TemplateValue {
        for scope in scopes.reversed() { if let v = scope[name] { return v } }
        return .undefined(name)
    }

    private func assign(_ name: String, _ value: TemplateValue) {
        scopes[scopes.count - 1][name] = value
    }

    private func tick(_ at: Int) throws(TemplateError) {
        steps += 1
        guard steps <= Self.maxSteps else { throw TemplateError("template runs too long (over \(Self.maxSteps) steps)", at: at) }
    }

    private func write(_ s: String, at: Int) throws(TemplateError) {
        output += s
        guard output.utf8.count <= Self.maxOutput else { throw TemplateError("template output is over 64 MB", at: at) }
    }

    @discardableResult
    func run(_ nodes: [TemplateNode]) throws(TemplateError) -> Flow {
        for node in nodes {
            switch node {
            case .text(let t): try write(t, at: 0)
            case .output(let e): try write(try evaluate(e).text, at: 0)
            case .ifChain(let branches, let otherwise):
                var taken = false
                for b in branches where try evaluate(b.condition).isTruthy {
                    taken = true
                    let flow = try run(b.body)
                    if flow != .normal { return flow }
                    break
                }
                if !taken {
                    let flow = try run(otherwise)
                    if flow != .normal { return flow }
                }
            case .forLoop(let targets, let iterable, let filter, let body, let otherwise, let at):
                try runFor(targets: targets, iterable: iterable, filter: filter, body: body, otherwise: otherwise, at: at)
            case .set(let targets, let attribute, let value, let at):
                let v = try evaluate(value)
                if let attribute {
                    guard case .namespace(let ns) = lookup(targets[0]) else {
                        throw TemplateError("`\(targets[0])` is not a namespace; cannot set `.\(attribute)`", at: at)
                    }
                    ns.object[attribute] = v
                } else {
                    try bind(targets, v, at: at)
                }
            case .setBlock(let name, let body):
                assign(name, .string(try capture(body)))
            case .macro(let name, let parameters, let body):
                assign(name, .callable(makeMacro(name, parameters, body)))
            case .generation(let body):
                let flow = try run(body)
                if flow != .normal { return flow }
            case .breakLoop: return .breakLoop
            case .continueLoop: return .continueLoop
            }
        }
        return .normal
    }

    /// Runs `body` into a separate buffer and returns what it wrote.
    private func capture(_ body: [TemplateNode]) throws(TemplateError) -> String {
        let saved = output
        output = ""
        defer { output = saved }
        try run(body)
        return output
    }

    private func bind(_ targets: [String], _ value: TemplateValue, at: Int) throws(TemplateError) {
        if targets.count == 1 { assign(targets[0], value); return }
        guard case .array(let items) = value, items.count == targets.count else {
            throw TemplateError("cannot unpack \(value.typeName) into \(targets.count) names", at: at)
        }
        for (t, v) in zip(targets, items) { assign(t, v) }
    }

    private func runFor(targets: [String], iterable: TemplateExpr, filter: TemplateExpr?, body: [TemplateNode],
                        otherwise: [TemplateNode], at: Int) throws(TemplateError) {
        var items = try iterate(try evaluate(iterable), at: at)
        scopes.append([:])
        defer { scopes.removeLast() }
        if let filter {
            var kept: [TemplateValue] = []
            for item in items {
                try bind(targets, item, at: at)
                if try evaluate(filter).isTruthy { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty { try run(otherwise); return }
        let loop = TemplateLoop(items)
        assign("loop", .loop(loop))
        for (index, item) in items.enumerated() {
            try tick(at)
            try bind(targets, item, at: at)
            loop.index = index
            if try run(body) == .breakLoop { break }
        }
    }

    /// What `for` walks: list items, dict keys, string characters; undefined is empty.
    func iterate(_ v: TemplateValue, at: Int) throws(TemplateError) -> [TemplateValue] {
        switch v {
        case .array(let a): return a
        case .object(let o): return o.keys.map { .string($0) }
        case .namespace(let ns): return ns.object.keys.map { .string($0) }
        case .string(let s): return s.map { .string(String($0)) }
        case .undefined: return []
        default: throw TemplateError("\(v.typeName) is not iterable", at: at)
        }
    }

    private func makeMacro(_ name: String, _ parameters: [(String, TemplateExpr?)], _ body: [TemplateNode]) -> TemplateCallable {
        TemplateCallable(name) { [unowned self] args, kwargs, at throws(TemplateError) in
            guard self.depth < Self.maxDepth else { throw TemplateError("macros nest too deep", at: at) }
            self.depth += 1
            self.scopes.append([:])
            defer {
                self.scopes.removeLast()
                self.depth -= 1
            }
            for (k, (p, defaultValue)) in parameters.enumerated() {
                let v: TemplateValue
                if k < args.count { v = args[k] }
                else if let kw = kwargs.first(where: { $0.0 == p }) { v = kw.1 }
                else if let defaultValue { v = try self.evaluate(defaultValue) }
                else { v = .undefined(p) }
                self.assign(p, v)
            }
            return .string(try self.capture(body))
        }
    }
}
