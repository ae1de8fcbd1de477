import AlignSyntax

/// Built-ins that need the interpreter itself rather than just `InterpreterServices`.
enum InterpreterBuiltins {
    static func make(_ runtime: Runtime) -> [Builtin] {
        [
            Builtin("assert", [.init("condition"), .init("message", optional: true)],
                    doc: "Records a failure (with the place and message) when `condition` is false, then continues; `align run` exits with status 1 if any assertion failed.") { [weak runtime] call in
                let condition = try call.argument(0)
                guard !condition.isTruthy else { return .null }
                var message = "assertion failed"
                if let m = call.arguments.count > 1 ? call.arguments[1] : nil {
                    message += ": " + m.displayString
                }
                let d = Diagnostic.error(message, at: call.span, label: "this was false")
                runtime?.assertionFailures.append(d)
                return .null
            },
        ]
    }
}
