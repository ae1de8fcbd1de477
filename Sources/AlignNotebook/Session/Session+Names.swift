import AlignRuntime
import AlignSyntax

/// The REPL's own names, kept with small programs of the language itself (the interpreter
/// binds globals only from code): `out` is a list whose entry `n` is cell `n`'s value, and `_`
/// is the last value shown. A user who rebinds `out` loses the history, as `Out` in IPython.
extension Session {
    static let sessionSource = "<session>"

    func defineSessionNames() {
        let nulls = Array(repeating: "null", count: executionCount + 1).joined(separator: ", ")
        runQuietly("var out = [\(nulls)]")
        // `_` exists from the start (as `null`), so a first cell reading it is not an error.
        runQuietly("let _ = null")
    }

    func updateSessionNames(cell number: Int, value: Value?, boundValue: Bool) {
        if let value, value != .null {
            lastShownCell = number
            runQuietly("out = out + [_]")
            return
        }
        runQuietly("out = out + [null]")
        // `let _ = …` ran but gave nothing to show: put back the last shown value.
        if boundValue {
            runQuietly(lastShownCell.map { "let _ = out[\($0)]" } ?? "let _ = null")
        }
    }

    /// Runs bookkeeping code; failures (the user rebound `out` to something else) are ignored.
    private func runQuietly(_ code: String) {
        _ = interpreter.run(SourceFile(path: Session.sessionSource, text: code))
    }

    /// Keeps the `#` comment lines written right above each top-level `fn` or `prompt`, which
    /// `:help NAME` shows with the signature.
    func recordDocs(_ program: Program, succeeded: Bool) {
        guard succeeded else { return }
        for statement in program.statements {
            let decl: FunctionDecl
            switch statement.kind {
            case .function(let d), .prompt(let d): decl = d
            default: continue
            }
            let file = statement.span.file
            var line = file.location(of: statement.span.start).line - 1
            var comments: [String] = []
            while line >= 1 {
                let text = file.lineText(line).drop { $0 == " " || $0 == "\t" }
                guard text.hasPrefix("#") else { break }
                comments.insert(String(text.dropFirst().drop { $0 == " " }), at: 0)
                line -= 1
            }
            if comments.isEmpty { userDocs[decl.name.name] = nil } else {
                userDocs[decl.name.name] = comments.joined(separator: "\n")
            }
        }
    }
}
