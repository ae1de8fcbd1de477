import AlignSyntax

/// Reading parts of values: `xs[i]`, `xs[a:b]`, `r.name`. Negative indices count from the end;
/// slices clamp like Python's.
enum Indexing {
    static func index(_ base: Value, _ index: Value, at span: SourceSpan, indexSpan: SourceSpan) throws -> Value {
        switch (base, index) {
        case let (.list(xs), .int(i)):
            return xs[try position(i, count: xs.count, of: "list", at: indexSpan)]
        case let (.string(s), .int(i)):
            let chars = Array(s)
            return .string(String(chars[try position(i, count: chars.count, of: "string", at: indexSpan)]))
        case let (.table(t), .int(i)):
            return .record(t.row(try position(i, count: t.rowCount, of: "table", at: indexSpan)))
        case let (.record(r), .string(k)):
            guard let v = r[k] else { throw noField(k, in: r.keys, at: indexSpan) }
            return v
        case let (.table(t), .string(k)):
            guard let c = t.column(k) else { throw noColumn(k, in: t.columnNames, at: indexSpan) }
            return .list(c)
        case let (.module(m), .string(k)):
            return try member(.module(m), k, at: indexSpan)
        case (.list, _), (.string, _), (.table, _):
            throw Diagnostic.error("\(base.typeName) index must be an int, found \(index.typeName)", at: indexSpan)
        case (.record, _):
            throw Diagnostic.error("record field name must be a string, found \(index.typeName)", at: indexSpan)
        default:
            throw Diagnostic.error("cannot index a value of type \(base.typeName)", at: span)
        }
    }

    /// The array position of index `i`, or an out-of-range diagnostic.
    static func position(_ i: Int, count: Int, of what: String, at span: SourceSpan) throws -> Int {
        let p = i < 0 ? i &+ count : i
        guard p >= 0, p < count else {
            throw Diagnostic.error("index \(i) out of range for \(what) of length \(count)", at: span,
                                   label: count == 0 ? "the \(what) is empty" : "valid indices are \(-count) to \(count - 1)")
        }
        return p
    }

    static func slice(_ base: Value, lower: Value?, upper: Value?, at span: SourceSpan) throws -> Value {
        func bounds(_ count: Int) throws -> Range<Int> {
            func clamp(_ v: Value?, _ fallback: Int) throws -> Int {
                guard let v, v != .null else { return fallback }
                guard case .int(let i) = v else {
                    throw Diagnostic.error("slice bounds must be ints, found \(v.typeName)", at: span)
                }
                let p = i < 0 ? max(0, i &+ count) : i
                return min(p, count)
            }
            let lo = try clamp(lower, 0), hi = try clamp(upper, count)
            return lo..<max(lo, hi)
        }
        switch base {
        case .list(let xs): return .list(Array(xs[try bounds(xs.count)]))
        case .string(let s):
            let chars = Array(s)
            return .string(String(chars[try bounds(chars.count)]))
        case .table(let t):
            let r = try bounds(t.rowCount)
            return .table(Table(columnNames: t.columnNames, columns: t.columns.map { Array($0[r]) }))
        default:
            throw Diagnostic.error("cannot slice a value of type \(base.typeName)", at: span)
        }
    }

    static func member(_ base: Value, _ name: String, at span: SourceSpan) throws -> Value {
        switch base {
        case .record(let r):
            guard let v = r[name] else { throw noField(name, in: r.keys, at: span) }
            return v
        case .table(let t):
            guard let c = t.column(name) else { throw noColumn(name, in: t.columnNames, at: span) }
            return .list(c)
        case .module(let m):
            guard let v = m.members[name] else {
                throw Diagnostic.error("module `\(m.name)` has no member `\(name)`", at: span,
                                       help: suggestion(name, m.members.keys))
            }
            return v
        case .objective(let o):
            switch name {
            case "name": return .string(o.name)
            case "text": return .string(o.text)
            default:
                throw Diagnostic.error("an objective has no field `\(name)`", at: span,
                                       help: suggestion(name, ["name", "text"]) ?? "its fields are `name` and `text`")
            }
        default:
            throw Diagnostic.error("cannot read `.\(name)` of a value of type \(base.typeName)", at: span)
        }
    }

    static func noField(_ name: String, in keys: [String], at span: SourceSpan) -> Diagnostic {
        .error("no field `\(name)` in record", at: span, label: "not a field",
               help: suggestion(name, keys) ?? (keys.isEmpty ? "the record is empty" : "fields are " + keys.map { "`\($0)`" }.joined(separator: ", ")))
    }

    static func noColumn(_ name: String, in columns: [String], at span: SourceSpan) -> Diagnostic {
        .error("no column `\(name)` in table", at: span, label: "not a column",
               help: suggestion(name, columns) ?? (columns.isEmpty ? "the table has no columns" : "columns are " + columns.map { "`\($0)`" }.joined(separator: ", ")))
    }

    static func suggestion(_ name: String, _ candidates: [String]) -> String? {
        Suggestion.closest(to: name, among: candidates).map { "did you mean `\($0)`?" }
    }
}
