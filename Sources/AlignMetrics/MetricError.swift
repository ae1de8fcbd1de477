/// The one error type of AlignMetrics: every metric reports bad input through it instead of trapping.
///
/// Messages follow the project's diagnostic style (lower-case, no final period, names in backticks)
/// and name the metric, so a caller several layers up can show them unchanged.
public enum MetricError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The metric needs at least one item and got none.
    case emptyInput(metric: String)
    /// Two parallel lists (predictions/references, true/predicted labels) differ in length.
    case lengthMismatch(metric: String, predictionCount: Int, referenceCount: Int)
    /// An option is outside its valid range.
    case invalidParameter(metric: String, name: String, reason: String)
    /// A dataset key that has no rule table.
    case unknownDataset(name: String, known: [String])
    /// No pair of an IMHI dataset had a reference the rules could read, so there is nothing to score.
    case noLabelledPairs(dataset: String, dropped: Int)
    /// A model adapter returned vectors or scores that cannot be used (wrong width, NaN, no tokens).
    case invalidModelOutput(metric: String, item: Int, reason: String)

    public var description: String {
        switch self {
        case .emptyInput(let metric):
            return "`\(metric)` needs at least one item, got none"
        case .lengthMismatch(let metric, let predictions, let references):
            return "`\(metric)` needs as many references as predictions, got \(predictions) predictions and \(references) references"
        case .invalidParameter(let metric, let name, let reason):
            return "`\(metric)` option `\(name)` \(reason)"
        case .unknownDataset(let name, let known):
            let list = known.map { "`\($0)`" }.joined(separator: ", ")
            return "no IMHI rules for dataset `\(name)`; known datasets: \(list)"
        case .noLabelledPairs(let dataset, let dropped):
            return "no reference of `\(dataset)` matched a label rule (\(dropped) pairs dropped), so there is nothing to score"
        case .invalidModelOutput(let metric, let item, let reason):
            return "`\(metric)` item \(item): \(reason)"
        }
    }
}

extension MetricError {
    /// Checks the shape every pairwise metric shares: same length, not empty.
    static func checkPairs(metric: String, predictions: Int, references: Int) throws {
        guard predictions == references else {
            throw MetricError.lengthMismatch(metric: metric, predictionCount: predictions, referenceCount: references)
        }
        guard predictions > 0 else { throw MetricError.emptyInput(metric: metric) }
    }
}
