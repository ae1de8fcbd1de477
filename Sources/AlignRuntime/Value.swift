import AlignSyntax

/// A value of the `.align` language. Lists, records and tables have value semantics
/// (Swift copy-on-write); equality is structural.
public enum Value: @unchecked Sendable {
    case null
    case bool(Bool)
    /// 64-bit integer; arithmetic reports overflow as a diagnostic, never traps.
    case int(Int)
    case float(Double)
    case string(String)
    case list([Value])
    case record(Record)
    case table(Table)
    /// User functions, lambdas, prompts, built-ins.
    case function(any Callable)
    case objective(Objective)
    case module(Module)
    /// An engine-backed object (a model, a run): anything the language only passes around.
    case handle(any Handle)
}

/// Ordered string-keyed fields (`{name: "DR", n: 405}`); small, so lookups are linear.
public struct Record: Sendable {
    public private(set) var keys: [String]
    public private(set) var values: [Value]

    public init() { keys = []; values = [] }
    public init(_ pairs: [(String, Value)]) {
        keys = []; values = []
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { keys.count }

    public subscript(key: String) -> Value? {
        get { keys.firstIndex(of: key).map { values[$0] } }
        set {
            if let i = keys.firstIndex(of: key) {
                if let v = newValue { values[i] = v } else { keys.remove(at: i); values.remove(at: i) }
            } else if let v = newValue {
                keys.append(key); values.append(v)
            }
        }
    }

    public var pairs: [(key: String, value: Value)] { Array(zip(keys, values)).map { ($0.0, $0.1) } }
}

/// Named columns of equal length: what `read` returns and `run` produces.
/// `t[i]` is a row record, `t.name` a column list.
public struct Table: Sendable {
    public private(set) var columnNames: [String]
    public private(set) var columns: [[Value]]

    public init() { columnNames = []; columns = [] }

    /// Columns must all have the same length (checked by callers that build from user data).
    public init(columnNames: [String], columns: [[Value]]) {
        precondition(columnNames.count == columns.count)
        self.columnNames = columnNames
        self.columns = columns
    }

    /// Builds a table from row records; columns are the union of keys in first-seen order,
    /// missing cells are `null`.
    public init(rows: [Record]) {
        var names: [String] = []
        var index: [String: Int] = [:]
        for r in rows { for k in r.keys where index[k] == nil { index[k] = names.count; names.append(k) } }
        var cols = [[Value]](repeating: [], count: names.count)
        for c in 0..<names.count { cols[c].reserveCapacity(rows.count) }
        for r in rows { for (c, name) in names.enumerated() { cols[c].append(r[name] ?? .null) } }
        self.columnNames = names
        self.columns = cols
    }

    public var rowCount: Int { columns.first?.count ?? 0 }

    public func column(_ name: String) -> [Value]? {
        columnNames.firstIndex(of: name).map { columns[$0] }
    }

    public func row(_ i: Int) -> Record {
        var r = Record()
        for (c, name) in columnNames.enumerated() { r[name] = columns[c][i] }
        return r
    }

    public var rows: [Record] { (0..<rowCount).map(row) }

    /// Appends a column (replacing one of the same name); its length must equal `rowCount`
    /// unless the table is empty.
    public mutating func setColumn(_ name: String, _ values: [Value]) {
        if let i = columnNames.firstIndex(of: name) { columns[i] = values } else {
            columnNames.append(name); columns.append(values)
        }
    }
}

/// `objective name = "Name: description"`. `.text` is exactly what the aligner sees.
/// A class so that `Value` stays two words wide (copies of values are the interpreter's hot path).
public final class Objective: Sendable, Equatable {
    public let name: String
    public let text: String
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    public static func == (a: Objective, b: Objective) -> Bool { a.name == b.name && a.text == b.text }
}

/// A loaded module: its top-level names as members, in definition order.
public final class Module: @unchecked Sendable {
    public let name: String
    /// File the module came from (empty for built-in modules).
    public let path: String
    public internal(set) var members: Record
    public init(name: String, path: String, members: Record) {
        self.name = name
        self.path = path
        self.members = members
    }
}

/// Anything callable from the language: user functions, lambdas, prompts and built-ins.
public protocol Callable: AnyObject {
    /// Name shown in diagnostics, call stacks and `:help` (`<lambda>` for lambdas).
    var name: String { get }
    /// Human-readable signature such as `take(xs, n)`.
    var signature: String { get }
}

/// An engine-backed object the language only passes around (models, runs).
public protocol Handle: AnyObject {
    /// Type name used in diagnostics (`model`, `run`).
    var typeName: String { get }
    /// One-line summary for display.
    var summary: String { get }
}
