import AlignSyntax

/// `fn`, `prompt` and lambdas: each body gets its own `FunctionContext`; parameters take the
/// first stack slots unless a nested closure uses them.
extension Compiler {
    /// Compiles the body and returns code that makes a closure over the current activation.
    func compileFunction(name: String, kind: FunctionCode.Kind, parameters: [Parameter],
                         body: FunctionBody, span: SourceSpan) -> Eval {
        let code = compileFunctionCode(name: name, kind: kind, parameters: parameters, body: body, span: span)
        return { a in .function(UserFunction(code: code, captured: a.environment)) }
    }

    func compileFunctionCode(name: String, kind: FunctionCode.Kind, parameters: [Parameter],
                             body: FunctionBody, span: SourceSpan) -> FunctionCode {
        let outer = context
        let outerFlows = flowStatements, outerSignals = flowSignalSites
        context = FunctionContext(parent: outer, isTopLevel: false, scan: NameScan.scan(body),
                                  parameters: parameters.map(\.name.name))
        defer {
            context = outer
            flowStatements = outerFlows
            flowSignalSites = outerSignals
        }
        flowSignalSites = 0
        var infos: [FunctionCode.ParameterInfo] = []
        for p in parameters {
            var defaultValue: Eval?
            if let d = p.defaultValue { defaultValue = compile(d) }
            let storage = declareLocal(p.name, kind: .parameter)
            infos.append(.init(name: p.name.name, storage: storage, defaultValue: defaultValue))
        }
        var evaluate: Eval
        switch body {
        case .expression(let e): evaluate = compile(e, tail: true)
        case .block(let b): evaluate = compileValueBlock(b, tail: true)
        }
        if flowSignalSites > 0 {
            let inner = evaluate, registers = machine.registers
            evaluate = { a in
                do { return try inner(a) } catch let s as FlowSignal where s.flow == .returned {
                    let v = registers.pointee.returnValue
                    registers.pointee.returnValue = .null
                    return v
                }
            }
        }
        return FunctionCode(name: name, kind: kind, parameters: infos, frameSize: context.stackSize,
                            environmentSize: context.createsEnvironment ? context.environmentSize : nil, body: evaluate, span: span,
                            runtime: runtime, globals: globals)
    }
}
