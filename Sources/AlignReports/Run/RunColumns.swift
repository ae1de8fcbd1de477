import AlignMetrics
import AlignRuntime

/// What the output columns of a run hold, decided from their names and values, so the report
/// knows which to summarise, chart, group by or tally as judge outcomes.
public struct RunColumns: Sendable {
    /// Columns whose values are all numbers (ints or floats; nulls ignored).
    public let numeric: [String]
    /// Columns of judge outcomes: `"win"`/`"tie"`/`"loss"` text, or the `judge` built-in's
    /// 1/0/2 in a column named like an outcome.
    public let outcomes: [String]
    /// Text columns that name a group (objective, dataset, …) with a few distinct values.
    public let groups: [String]

    /// Names that mark a text column as a grouping even when it has many distinct values.
    static let groupingNames = ["objective", "aspect", "dataset", "task", "category", "split", "policy", "model", "family"]
    /// Names under which a column of 0/1/2 is read as `judge` results.
    static let outcomeNames = ["outcome", "verdict", "judge", "winner", "preference"]
    /// More distinct values than this and a text column is free text, not a grouping.
    static let maximumGroups = 24

    public init(_ table: Table) {
        var numeric: [String] = [], outcomes: [String] = [], groups: [String] = []
        for (name, values) in zip(table.columnNames, table.columns) {
            let present = values.filter { if case .null = $0 { false } else { true } }
            guard !present.isEmpty else { continue }
            let lower = name.lowercased()
            if Self.verdicts(values, column: name) != nil {
                outcomes.append(name)
            } else if present.allSatisfy({ if case .int = $0 { true } else if case .float = $0 { true } else { false } }) {
                numeric.append(name)
            } else if present.allSatisfy({ if case .string = $0 { true } else { false } }) {
                let distinct = Set(present.map { if case .string(let s) = $0 { s } else { "" } }).count
                let named = Self.groupingNames.contains { lower.contains($0) }
                let few = distinct <= Self.maximumGroups && distinct < present.count
                if distinct > 1 && few && (named || distinct <= present.count / 2) { groups.append(name) }
            }
        }
        self.numeric = numeric
        self.outcomes = outcomes
        self.groups = groups
    }

    /// The column's values as judge verdicts (nil entries for nulls), or nil if it is not an
    /// outcome column.
    static func verdicts(_ values: [Value], column: String) -> [JudgeVerdict?]? {
        let byName = outcomeNames.contains { column.lowercased().contains($0) }
        var result: [JudgeVerdict?] = []
        var any = false
        for v in values {
            switch v {
            case .null: result.append(nil)
            case .string(let s):
                guard let verdict = JudgeVerdict(rawValue: s.lowercased()) else { return nil }
                result.append(verdict)
                any = true
            // `judge` returns 1 when the first answer is better, 2 for the second and 0 for a tie.
            case .int(let i) where byName && (0...2).contains(i):
                result.append(i == 1 ? .win : i == 2 ? .loss : .tie)
                any = true
            default: return nil
            }
        }
        return any ? result : nil
    }

    /// The numbers of a numeric column, nulls dropped.
    static func numbers(_ values: [Value]) -> [Double] {
        values.compactMap { v in
            switch v {
            case .int(let i): Double(i)
            case .float(let d): d
            default: nil
            }
        }
    }
}
