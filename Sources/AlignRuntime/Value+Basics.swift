/// Type names, truthiness and structural equality of values.
extension Value {
    /// The name used in diagnostics: `expected a list, found string`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "string"
        case .list: "list"
        case .record: "record"
        case .table: "table"
        case .function: "function"
        case .objective: "objective"
        case .module: "module"
        case .handle(let h): h.typeName
        }
    }

    /// `null`, `false`, `0`, `0.0`, `""` and empty lists/records/tables are false.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .float(let d): d != 0
        case .string(let s): !s.isEmpty
        case .list(let l): !l.isEmpty
        case .record(let r): r.count > 0
        case .table(let t): t.rowCount > 0 || !t.columnNames.isEmpty
        default: true
        }
    }
}

extension Value: Equatable {
    /// Structural equality; `1 == 1.0` is true; functions, modules and handles compare by identity.
    public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.int(x), .int(y)): x == y
        case let (.float(x), .float(y)): x == y
        case let (.int(x), .float(y)): Double(x) == y
        case let (.float(x), .int(y)): x == Double(y)
        case let (.string(x), .string(y)): x == y
        case let (.list(x), .list(y)): x == y
        case let (.record(x), .record(y)): x.keys == y.keys && x.values == y.values
        case let (.table(x), .table(y)): x.columnNames == y.columnNames && x.columns == y.columns
        case let (.function(x), .function(y)): x === y
        case let (.objective(x), .objective(y)): x == y
        case let (.module(x), .module(y)): x === y
        case let (.handle(x), .handle(y)): x === y
        default: false
        }
    }
}
