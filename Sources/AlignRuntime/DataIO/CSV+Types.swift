/// `read(path, types: "infer")`: turns a column of strings into ints, floats or bools when
/// every non-empty cell reads as one, the way pandas infers a column's dtype.
extension CSV {
    /// A column becomes `int` when every non-null cell is an integer, else `float` when every
    /// cell is a number (ints widen), else `bool` when every cell is `true`/`false` in any case;
    /// otherwise it stays text. `null` cells stay `null`.
    static func inferColumnType(_ column: [Value]) -> [Value] {
        var parsed: [Value] = []
        parsed.reserveCapacity(column.count)
        var sawFloat = false
        var allNumbers = true
        for cell in column {
            guard case .string(let s) = cell else { parsed.append(cell); continue }
            guard let number = NumberText.parse(s) else { allNumbers = false; break }
            if case .float = number { sawFloat = true }
            parsed.append(number)
        }
        if allNumbers {
            guard sawFloat else { return parsed }
            return parsed.map { if case .int(let i) = $0 { .float(Double(i)) } else { $0 } }
        }
        var bools: [Value] = []
        for cell in column {
            guard case .string(let s) = cell else { bools.append(cell); continue }
            switch s.lowercased() {
            case "true": bools.append(.bool(true))
            case "false": bools.append(.bool(false))
            default: return column
            }
        }
        return bools
    }
}
