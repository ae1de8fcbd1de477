import AlignMetrics

/// Argument reading shared by the evaluation built-ins: IMHI dataset keys with did-you-mean,
/// lists of answer texts, and metric errors turned into diagnostics at the call.
extension BuiltinCall {
    /// An IMHI dataset from a key (`"DR"`), a file name (`"t-sid.csv"`) or a path
    /// (`"out/SAD.csv"`): the seed keys datasets by the file name up to its first `.`.
    func imhiDataset(_ i: Int, _ name: String) throws -> IMHIDataset {
        let text = try string(i, name)
        let fileName = text.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? text
        let key = String(fileName.prefix { $0 != "." })
        if let dataset = IMHIDataset(rawValue: key) { return dataset }
        let known = IMHIDataset.allCases.map(\.rawValue)
        let hint = Builtins.didYouMean(key, among: known)
            ?? "known datasets: \(known.map { "`\($0)`" }.joined(separator: ", "))"
        throw error(argument: i, "no IMHI rules for dataset `\(key)`", help: hint)
    }

    /// A list of answer texts. An empty CSV cell (`null`) counts as empty text, so a blank
    /// generation is labelled by the fallback rule instead of stopping the study.
    func texts(_ i: Int, _ name: String) throws -> [String] {
        let items = try list(i, name)
        var result: [String] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            switch item {
            case .string(let s): result.append(s)
            case .null: result.append("")
            default:
                throw error(argument: i, "expected text at index \(index) of `\(name)`, found \(item.typeName)")
            }
        }
        return result
    }

    /// A list of class labels (strings, ints or bools), compared as their text.
    func labels(_ i: Int, _ name: String) throws -> [String] {
        let items = try list(i, name)
        return try items.enumerated().map { index, item in
            switch item {
            case .string(let s): return s
            case .int, .bool: return item.displayString
            default:
                throw error(argument: i, "expected a label (text, int or bool) at index \(index) of `\(name)`, found \(item.typeName)")
            }
        }
    }

    /// One of a fixed set of option words, with did-you-mean for a near miss.
    func choice(_ i: Int, _ name: String, among options: [String], default fallback: String) throws -> String {
        guard let value = try optionalString(i, name) else { return fallback }
        guard options.contains(value) else {
            let hint = Builtins.didYouMean(value, among: options)
                ?? "use one of \(options.map { "\"\($0)\"" }.joined(separator: ", "))"
            throw error(argument: i, "unknown `\(name)` \"\(value)\"", help: hint)
        }
        return value
    }

    /// Runs a metric, reporting its `MetricError` at the call.
    func measuring<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as MetricError {
            throw error(e.description)
        }
    }
}
