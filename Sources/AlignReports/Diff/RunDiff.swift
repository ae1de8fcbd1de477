import AlignRuntime

/// What changed between two runs: params, models and other manifest settings field by field,
/// the script, modules and prompts as unified diffs, and metric deltas with bootstrap intervals.
public struct RunDiff: Sendable {
    /// A field whose value differs (nil on one side: the field is missing there).
    public struct FieldChange: Sendable {
        /// `params`, `models` or `settings`.
        public let section: String
        /// Dotted path of the field, such as `n` or `smollm2.files[0].sha256`.
        public let key: String
        public let before: Value?
        public let after: Value?
    }

    /// A script, module or prompt whose text differs.
    public struct SourceChange: Sendable {
        /// `script`, `module` or `prompt`.
        public let kind: String
        public let name: String
        /// `added`, `removed` or `changed`.
        public let status: String
        /// Unified diff of the text (empty when only one side has it).
        public let diff: String
    }

    public let a: RecordedRun
    public let b: RecordedRun
    public let fields: [FieldChange]
    public let sources: [SourceChange]
    public let metrics: [MetricDelta]
    /// Number of rows matched by input hash when the rows are compared paired; nil when unpaired.
    public let pairedRows: Int?
    public let options: Options

    /// How the intervals are drawn.
    public struct Options: Sendable {
        public var resamples = 2000
        public var seed: UInt64 = 0
        public var confidence = 0.95
        public init() {}
    }

    /// Manifest fields compared through their own parts, or that differ between any two runs.
    static let ownParts: Set<String> = ["params", "models", "script", "modules", "prompts", "run", "started", "finished", "rows"]

    public init(_ a: RecordedRun, _ b: RecordedRun, options: Options = Options()) {
        self.a = a
        self.b = b
        self.options = options
        let ma = a.manifest ?? Record(), mb = b.manifest ?? Record()
        var fields = Self.changes("params", Self.leaves(ma["params"]), Self.leaves(mb["params"]))
        fields += Self.changes("models", Self.leaves(Self.keyedModels(ma["models"])), Self.leaves(Self.keyedModels(mb["models"])))
        let otherA = Record(ma.pairs.filter { !Self.ownParts.contains($0.key) }.map { ($0.key, $0.value) })
        let otherB = Record(mb.pairs.filter { !Self.ownParts.contains($0.key) }.map { ($0.key, $0.value) })
        fields += Self.changes("settings", Self.leaves(.record(otherA)), Self.leaves(.record(otherB)))
        self.fields = fields
        sources = Self.sourceChanges(ma, mb)
        let pairing = Self.pairing(a, b)
        pairedRows = pairing.map(\.count)
        metrics = Self.metricDeltas(a, b, pairing: pairing, options: options)
    }

    /// Models keyed by their `id` (else `name`, `path`, or position) so a reordered list is not a change.
    static func keyedModels(_ v: Value?) -> Value {
        guard case .list(let items)? = v else { return v ?? .null }
        var r = Record()
        for (i, item) in items.enumerated() {
            var key = "[\(i)]"
            if case .record(let m) = item {
                for field in ["id", "name", "path"] {
                    if case .string(let s)? = m[field], !s.isEmpty, r[s] == nil { key = s; break }
                }
            }
            r[key] = item
        }
        return .record(r)
    }

    /// Leaves of a value by path: records dotted, lists of records or lists indexed.
    static func leaves(_ v: Value?, prefix: String = "") -> [(String, Value)] {
        switch v {
        case nil: return []
        case .record(let r)?:
            if r.count == 0 && !prefix.isEmpty { return [(prefix, .record(r))] }
            return r.pairs.flatMap { leaves($0.value, prefix: prefix.isEmpty ? $0.key : prefix + "." + $0.key) }
        case .list(let items)?:
            // A list of plain values (stop strings, seeds) is one field: a changed seed list is
            // one line, not a thousand.
            let plain = items.allSatisfy { if case .record = $0 { false } else if case .list = $0 { false } else { true } }
            if plain && !prefix.isEmpty { return [(prefix, .list(items))] }
            return items.enumerated().flatMap { leaves($0.element, prefix: prefix + "[\($0.offset)]") }
        case let value?: return prefix.isEmpty ? [] : [(prefix, value)]
        }
    }

    static func changes(_ section: String, _ before: [(String, Value)], _ after: [(String, Value)]) -> [FieldChange] {
        let old = Dictionary(before, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(after, uniquingKeysWith: { first, _ in first })
        var out: [FieldChange] = []
        for (key, value) in before {
            if let other = new[key] {
                if !same(value, other) { out.append(FieldChange(section: section, key: key, before: value, after: other)) }
            } else {
                out.append(FieldChange(section: section, key: key, before: value, after: nil))
            }
        }
        for (key, value) in after where old[key] == nil {
            out.append(FieldChange(section: section, key: key, before: nil, after: value))
        }
        return out
    }

    /// Equal as written in JSON (so `1` and `1.0` differ, as they do in the files).
    static func same(_ x: Value, _ y: Value) -> Bool {
        guard let tx = try? JSON.encode(x), let ty = try? JSON.encode(y) else { return false }
        return tx == ty
    }
}
