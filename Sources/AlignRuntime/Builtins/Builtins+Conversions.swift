/// Converting between value types and to and from JSON text.
extension Builtins {
    static var conversions: [Builtin] {
        [
            Builtin("str", [.init("x")], doc: "The value as text, as `print` shows it. `str(1.5) == \"1.5\"`") { call in
                .string(try call.argument(0).displayString)
            },
            Builtin("num", [.init("x")],
                    doc: "A number from text: `\"42\"` gives an int, `\"3.5\"`, `\"1e-3\"`, `\"nan\"` a float; numbers pass through; anything else is an error. `num(\"42\") + 1 == 43`") { call in
                let x = try call.argument(0)
                switch x {
                case .int, .float: return x
                case .string(let s):
                    guard let n = NumberText.parse(s) else {
                        throw call.error(argument: 0, "cannot read \(Value.quote(s)) as a number")
                    }
                    return n
                default: throw call.typeError(0, "x", expected: "a string or number", found: x)
                }
            },
            Builtin("int", [.init("x")],
                    doc: "An integer: floats are truncated toward zero, text must be a whole number, bools give 0 or 1. `int(\"7\") == 7`, `int(2.9) == 2`") { call in
                let x = try call.argument(0)
                switch x {
                case .int: return x
                case .bool(let b): return .int(b ? 1 : 0)
                case .float(let d):
                    guard d.isFinite, d > -9.3e18, d < 9.3e18, let i = Int(exactly: d.rounded(.towardZero)) else {
                        throw call.error(argument: 0, "cannot convert \(x.reprString) to a 64-bit integer")
                    }
                    return .int(i)
                case .string(let s):
                    guard case .int(let i)? = NumberText.parse(s) else {
                        throw call.error(argument: 0, "cannot read \(Value.quote(s)) as an integer")
                    }
                    return .int(i)
                default: throw call.typeError(0, "x", expected: "a number, string or bool", found: x)
                }
            },
            Builtin("float", [.init("x")],
                    doc: "A float from a number, bool or text such as `\"3.5\"`, `\"1e-3\"`, `\"inf\"`. `float(1) == 1.0`") { call in
                let x = try call.argument(0)
                switch x {
                case .int(let i): return .float(Double(i))
                case .float: return x
                case .bool(let b): return .float(b ? 1 : 0)
                case .string(let s):
                    guard let n = NumberText.parse(s)?.number else {
                        throw call.error(argument: 0, "cannot read \(Value.quote(s)) as a number")
                    }
                    return .float(n)
                default: throw call.typeError(0, "x", expected: "a number, string or bool", found: x)
                }
            },
            Builtin("bool", [.init("x")],
                    doc: "Truthiness: `null`, `false`, `0`, `\"\"` and empty collections are false, everything else true. `bool([]) == false`") { call in
                .bool(try call.argument(0).isTruthy)
            },
            Builtin("type", [.init("x")], doc: "The type name as a string: `null`, `bool`, `int`, `float`, `string`, `list`, `record`, `table`, `function`, … `type(1.5) == \"float\"`") { call in
                .string(try call.argument(0).typeName)
            },
            Builtin("json", [.init("x"), .init("indent", optional: true)],
                    doc: "JSON text of a value (records keep their key order; tables become arrays of objects), as Python's `json.dumps` writes it; `indent` pretty-prints. `json({a: [1, 2]}) == r\"{\"a\": [1, 2]}\"`") { call in
                let indent = try call.optionalInt(1, "indent")
                if let indent, indent < 0 || indent > 16 { throw call.error(argument: 1, "`indent` must be between 0 and 16") }
                do { return .string(try JSON.encode(try call.argument(0), indent: indent)) } catch let e as JSONEncodingError {
                    throw call.error(argument: 0, e.message)
                }
            },
            Builtin("parse_json", [.init("s")],
                    doc: "The value JSON text describes: objects become records (key order kept), arrays lists, integers ints. `parse_json(r\"[1, 2.5]\") == [1, 2.5]`") { call in
                do { return try JSON.parse(try call.string(0, "s")) } catch let e as DataIOError {
                    throw call.error(argument: 0, "invalid JSON at \(e.line ?? 1):\(e.column ?? 1): \(e.message)")
                }
            },
        ]
    }
}
