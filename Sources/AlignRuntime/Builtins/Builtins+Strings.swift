/// Text built-ins. Case mapping and whitespace follow Unicode (as Python's `str` methods do).
extension Builtins {
    static var strings: [Builtin] {
        [
            Builtin("join", [.init("xs"), .init("sep", optional: true)],
                    doc: "The elements as text (`str` of each) joined by `sep` (default \"\"). `join([\"a\", \"b\"], \", \") == \"a, b\"`") { call in
                let sep = try call.optionalString(1, "sep") ?? ""
                return .string(try call.list(0, "xs").map(\.displayString).joined(separator: sep))
            },
            Builtin("split", [.init("s"), .init("sep", optional: true)],
                    doc: "Splits at each `sep`; without `sep`, at runs of whitespace with empty pieces dropped (Python `str.split`). `split(\"a,b\", \",\") == [\"a\", \"b\"]`") { call in
                let s = try call.string(0, "s")
                guard let sep = try call.optionalString(1, "sep") else {
                    return .list(s.split(whereSeparator: \.isWhitespace).map { .string(String($0)) })
                }
                guard !sep.isEmpty else { throw call.error(argument: 1, "`sep` must not be empty") }
                return .list(s.split(separator: sep, omittingEmptySubsequences: false).map { .string(String($0)) })
            },
            Builtin("lower", [.init("s")], doc: "Lower-case copy. `lower(\"Yes\") == \"yes\"`") { call in
                .string(try call.string(0, "s").lowercased())
            },
            Builtin("upper", [.init("s")], doc: "Upper-case copy. `upper(\"yes\") == \"YES\"`") { call in
                .string(try call.string(0, "s").uppercased())
            },
            Builtin("strip", [.init("s"), .init("chars", optional: true)],
                    doc: "Removes leading and trailing whitespace, or any of the characters in `chars`. `strip(\"  yes\\n\") == \"yes\"`") { call in
                let s = try call.string(0, "s")
                let chars = try call.optionalString(1, "chars").map(Set.init)
                let drop: (Character) -> Bool = { chars?.contains($0) ?? $0.isWhitespace }
                guard let start = s.firstIndex(where: { !drop($0) }), let end = s.lastIndex(where: { !drop($0) }) else {
                    return .string("")
                }
                return .string(String(s[start...end]))
            },
            Builtin("replace", [.init("s"), .init("old"), .init("new")],
                    doc: "Replaces every occurrence of `old` with `new`. `replace(\"a-b-c\", \"-\", \" \") == \"a b c\"`") { call in
                let s = try call.string(0, "s"), old = try call.string(1, "old"), new = try call.string(2, "new")
                guard !old.isEmpty else { throw call.error(argument: 1, "`old` must not be empty") }
                return .string(s.replacing(old, with: new))
            },
            Builtin("contains", [.init("x"), .init("item")],
                    doc: "Substring in a string, element in a list, key in a record, column in a table. `contains(\"yes, it does\", \"yes\")`") { call in
                let item = try call.argument(1)
                switch try call.argument(0) {
                case .string(let s):
                    guard case .string(let sub) = item else { throw call.typeError(1, "item", expected: "a string", found: item) }
                    return .bool(sub.isEmpty || s.contains(sub))
                case .list(let l): return .bool(l.contains(item))
                case .record(let r): return .bool(text(item).map { r[$0] != nil } ?? false)
                case .table(let t): return .bool(text(item).map { t.columnNames.contains($0) } ?? false)
                case let v: throw call.typeError(0, "x", expected: "a string, list, record or table", found: v)
                }
            },
            Builtin("starts_with", [.init("s"), .init("prefix")], doc: "True if `s` begins with `prefix`. `starts_with(answer, \"Yes\")`") { call in
                .bool(try call.string(0, "s").hasPrefix(try call.string(1, "prefix")))
            },
            Builtin("ends_with", [.init("s"), .init("suffix")], doc: "True if `s` ends with `suffix`. `ends_with(path, \".csv\")`") { call in
                .bool(try call.string(0, "s").hasSuffix(try call.string(1, "suffix")))
            },
            Builtin("repeat", [.init("x"), .init("n")],
                    doc: "A string or list repeated `n` times. `repeat(\"-\", 3) == \"---\"`") { call in
                let n = try call.count(1, "n")
                let x = try call.argument(0)
                let size: Int
                switch x {
                case .string(let s): size = s.utf8.count
                case .list(let l): size = l.count
                default: throw call.typeError(0, "x", expected: "a string or list", found: x)
                }
                guard size == 0 || n <= maximumGeneratedLength / size else {
                    throw call.error(argument: 1, "the result would be too large (limit \(maximumGeneratedLength) elements or bytes)")
                }
                if case .list(let l) = x { return .list(Array([[Value]](repeating: l, count: n).joined())) }
                return .string(String(repeating: x.displayString, count: n))
            },
            pad("pad_left", alignRight: true),
            pad("pad_right", alignRight: false),
        ]
    }

    private static func pad(_ name: String, alignRight: Bool) -> Builtin {
        let example = alignRight ? "`pad_left(7, 3, \"0\") == \"007\"`" : "`pad_right(\"ab\", 4) + \"|\" == \"ab  |\"`"
        return Builtin(name, [.init("x"), .init("width"), .init("fill", optional: true)],
                       doc: "`str(x)` padded \(alignRight ? "on the left" : "on the right") with `fill` (default a space) to `width` characters; longer text is unchanged. \(example)") { call in
            let text = try call.argument(0).displayString
            let width = try call.int(1, "width")
            let fill = try call.optionalString(2, "fill") ?? " "
            guard fill.count == 1 else { throw call.error(argument: 2, "`fill` must be exactly one character") }
            guard width <= maximumGeneratedLength else { throw call.error(argument: 1, "`width` is too large") }
            let padding = String(repeating: fill, count: max(0, width - text.count))
            return .string(alignRight ? padding + text : text + padding)
        }
    }

    /// The text of a `.string`, else `nil` (a record key or column name to look up).
    private static func text(_ value: Value) -> String? {
        if case .string(let s) = value { return s }
        return nil
    }
}
