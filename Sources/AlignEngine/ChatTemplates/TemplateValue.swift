/// A runtime value of the template language, with Python's notions of truth, equality and `str()`
/// (templates are written against jinja2, which runs on Python objects).
enum TemplateValue {
    /// A missing variable or key: renders as nothing, is falsy, and fails on member access.
    case undefined(String)
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([TemplateValue])
    case object(TemplateObject)
    /// `namespace(...)`: the one mutable object, so loops can carry state out.
    case namespace(TemplateNamespace)
    case callable(TemplateCallable)
    /// The `loop` variable inside `for`.
    case loop(TemplateLoop)

    var isTruthy: Bool {
        switch self {
        case .undefined, .none: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .double(let d): d != 0
        case .string(let s): !s.isEmpty
        case .array(let a): !a.isEmpty
        case .object(let o): !o.keys.isEmpty
        case .namespace, .callable, .loop: true
        }
    }

    var isUndefined: Bool { if case .undefined = self { true } else { false } }
    var isBoolLike: Bool { if case .bool = self { true } else { false } }

    /// Python `str()`.
    var text: String {
        switch self {
        case .undefined: ""
        case .string(let s): s
        default: repr
        }
    }

    /// Python `repr()`, used for values inside lists and dicts.
    var repr: String {
        switch self {
        case .undefined: ""
        case .none: "None"
        case .bool(let b): b ? "True" : "False"
        case .int(let i): String(i)
        case .double(let d): Self.pythonFloat(d)
        case .string(let s): Self.pythonQuote(s)
        case .array(let a): "[" + a.map(\.repr).joined(separator: ", ") + "]"
        case .object(let o): "{" + o.keys.map { Self.pythonQuote($0) + ": " + (o.values[$0]?.repr ?? "") }.joined(separator: ", ") + "}"
        case .namespace: "<Namespace>"
        case .loop: "<LoopContext>"
        case .callable(let c): "<function \(c.name)>"
        }
    }

    static func pythonFloat(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return d.description
    }

    static func pythonQuote(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(c) == quote { out += "\\" + String(quote) } else { out.unicodeScalars.append(c) }
            }
        }
        out.append(quote)
        return out
    }

    /// Python `==` (1 == 1.0, lists and dicts compared by content).
    func equals(_ other: TemplateValue) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined), (.none, .none): true
        case let (.bool(a), .bool(b)): a == b
        case let (.string(a), .string(b)): a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case let (.array(a), .array(b)): a.count == b.count && zip(a, b).allSatisfy { $0.equals($1) }
        case let (.object(a), .object(b)):
            a.keys.count == b.keys.count && a.keys.allSatisfy { k in b.values[k].map { a.values[k]?.equals($0) ?? false } ?? false }
        case let (.namespace(a), .namespace(b)): a === b
        default:
            if let x = numeric, let y = other.numeric { x == y } else { false }
        }
    }

    /// Numbers (and booleans, as in Python) as Double.
    var numeric: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        case .bool(let b): b ? 1 : 0
        default: nil
        }
    }

    var typeName: String {
        switch self {
        case .undefined: "undefined"
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "str"
        case .array: "list"
        case .object: "dict"
        case .namespace: "Namespace"
        case .loop: "LoopContext"
        case .callable: "function"
        }
    }
}

/// An insertion-ordered string-keyed dictionary (Python dicts keep insertion order, and `tojson`
/// and `items()` show it).
struct TemplateObject {
    private(set) var keys: [String] = []
    private(set) var values: [String: TemplateValue] = [:]

    init(_ pairs: [(String, TemplateValue)] = []) {
        for (k, v) in pairs { self[k] = v }
    }

    subscript(key: String) -> TemplateValue? {
        get { values[key] }
        set {
            if values[key] == nil, newValue != nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            values[key] = newValue
        }
    }
}

final class TemplateNamespace {
    var object: TemplateObject

    init(_ object: TemplateObject) { self.object = object }
}

/// `loop.index`, `loop.first`, …: one object per `for`, advanced in place (as jinja2's
/// `LoopContext` is), with fields computed on access.
final class TemplateLoop {
    let items: [TemplateValue]
    var index = 0

    init(_ items: [TemplateValue]) { self.items = items }

    func field(_ name: String) -> TemplateValue? {
        let n = items.count
        switch name {
        case "index": return .int(index + 1)
        case "index0": return .int(index)
        case "revindex": return .int(n - index)
        case "revindex0": return .int(n - index - 1)
        case "first": return .bool(index == 0)
        case "last": return .bool(index == n - 1)
        case "length": return .int(n)
        case "previtem": return index > 0 ? items[index - 1] : nil
        case "nextitem": return index + 1 < n ? items[index + 1] : nil
        case "cycle":
            let at = index
            return .callable(TemplateCallable("loop.cycle") { args, _, position throws(TemplateError) in
                guard !args.isEmpty else { throw TemplateError("loop.cycle needs at least one value", at: position) }
                return args[at % args.count]
            })
        default: return nil
        }
    }
}

/// A function the template can call: globals (`raise_exception`, `namespace`, `range`), bound
/// methods (`'x'.strip()`), and macros.
final class TemplateCallable {
    typealias Body = (_ args: [TemplateValue], _ kwargs: [(String, TemplateValue)], _ at: Int) throws(TemplateError) -> TemplateValue
    let name: String
    let body: Body

    init(_ name: String, _ body: @escaping Body) {
        self.name = name
        self.body = body
    }
}
