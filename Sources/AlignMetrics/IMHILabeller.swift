/// The seed's rule-based labeller for IMHI answers, turning free text (or classifier label names)
/// and reference answers into class labels for accuracy and F1.
///
/// Matches: MentalLLaMA `src/IMHI.py --rule_calculate` (model answers) and `src/label_inference.py
/// --calculate` (classifier labels) at commit 42cd29d, as described in seed-reference A1/A2: keep the
/// text before the first literal `Reasoning:`, lower-case it, test the dataset's ordered substring
/// patterns, first match wins. A model answer that matches nothing takes the dataset's fallback label
/// and is counted as out-of-domain (OOD).
///
/// Policy for references that match no rule (the seed drops the pair for swmh and otherwise crashes
/// on misaligned lists): the pair is always dropped and its index reported in `droppedIndices`, so
/// predictions and references stay aligned. With `.union` (the default) a reference is tried against
/// the IMHI.py phrases first and the label_inference.py phrases second, so both the instruction and
/// the completion wording of every label match, and every reference IMHI.py accepts keeps its label.
public struct IMHILabeller: Sendable {
    /// What the prediction side holds.
    public enum PredictionKind: Sendable {
        /// A model's free-text answer (IMHI.py rules, with fallback and OOD count).
        case generatedText
        /// A label name from a seed classifier checkpoint (label_inference.py rules); a name that
        /// matches nothing is treated like an unmatched answer (fallback, counted as OOD) instead of
        /// raising as the seed does.
        case classifierLabel
    }

    /// Which reference phrases are recognised.
    public enum ReferenceRules: Sendable {
        /// IMHI.py's phrases (completion-style answers).
        case generationScript
        /// label_inference.py's phrases (instruction-style answers).
        case labelInference
        /// IMHI.py's phrases, then label_inference.py's.
        case union
    }

    public let dataset: IMHIDataset
    public let predictionKind: PredictionKind
    public let referenceRules: ReferenceRules
    private let rules: IMHIRules

    public init(dataset: IMHIDataset, predictionKind: PredictionKind = .generatedText, referenceRules: ReferenceRules = .union) {
        self.dataset = dataset
        self.predictionKind = predictionKind
        self.referenceRules = referenceRules
        rules = IMHIRules.of(dataset)
    }

    /// Labels parallel `predictions` and `references`, dropping pairs whose reference has no label.
    public func label(predictions: [String], references: [String]) throws -> IMHILabelling {
        guard predictions.count == references.count else {
            throw MetricError.lengthMismatch(
                metric: "imhi_rules", predictionCount: predictions.count, referenceCount: references.count)
        }
        var predicted: [String] = [], referenced: [String] = []
        var kept: [Int] = [], dropped: [Int] = []
        var outOfDomain = 0
        for (index, (prediction, reference)) in zip(predictions, references).enumerated() {
            let answer = labelPrediction(prediction)
            if answer.outOfDomain { outOfDomain += 1 }
            guard let referenceLabel = labelReference(reference) else {
                dropped.append(index)
                continue
            }
            predicted.append(answer.label)
            referenced.append(referenceLabel)
            kept.append(index)
        }
        return IMHILabelling(
            dataset: dataset, predicted: predicted, references: referenced,
            keptIndices: kept, droppedIndices: dropped, outOfDomainCount: outOfDomain)
    }

    /// The label of one prediction (a model's answer or a classifier's label name, per
    /// `predictionKind`): the first matching rule's class, or the dataset's fallback class with
    /// `outOfDomain` set when no rule matches — one row of the pair loop in `label`.
    public func labelPrediction(_ text: String) -> (label: String, outOfDomain: Bool) {
        let list = predictionKind == .generatedText ? rules.generatedText : rules.classifierLabel
        guard let label = Self.firstMatch(list, in: text) else { return (rules.fallback, true) }
        return (label, false)
    }

    /// The label of one reference answer under `referenceRules`, or nil when no rule reads it
    /// (`label` drops such pairs).
    public func labelReference(_ text: String) -> String? {
        switch referenceRules {
        case .generationScript: return Self.firstMatch(rules.generationReference, in: text)
        case .labelInference: return Self.firstMatch(rules.classifierReference, in: text)
        case .union:
            return Self.firstMatch(rules.generationReference, in: text) ?? Self.firstMatch(rules.classifierReference, in: text)
        }
    }

    /// The first rule whose pattern occurs in the lower-cased text before the first `Reasoning:`.
    static func firstMatch(_ rules: [IMHIRule], in text: String) -> String? {
        let answer = answerPart(of: text)
        return rules.first { answer.contains($0.pattern) }?.label
    }

    /// The lower-cased part of `text` before the first literal `Reasoning:` (Python
    /// `text.split("Reasoning:")[0].lower()`), compared scalar by scalar as Python compares code points.
    static func answerPart(of text: String) -> ScalarText {
        let scalars = Array(text.unicodeScalars)
        let marker = Array("Reasoning:".unicodeScalars)
        let end = ScalarText.firstIndex(of: marker, in: scalars) ?? scalars.count
        return ScalarText(PythonText.lower(String(String.UnicodeScalarView(scalars[0..<end]))))
    }
}

/// Labels of the pairs the rules could read, with the bookkeeping of what they could not.
public struct IMHILabelling: Sendable, Equatable {
    public let dataset: IMHIDataset
    /// Prediction labels of the kept pairs.
    public let predicted: [String]
    /// Reference labels of the kept pairs, parallel to `predicted`.
    public let references: [String]
    /// Input positions of the kept pairs.
    public let keptIndices: [Int]
    /// Input positions whose reference matched no rule.
    public let droppedIndices: [Int]
    /// Predictions (over all input pairs, as the seed counts them) that matched no rule.
    public let outOfDomainCount: Int

    /// Accuracy and F1s of the kept pairs; no kept pair is an error.
    public func report() throws -> ClassificationReport<String> {
        guard !predicted.isEmpty else {
            throw MetricError.noLabelledPairs(dataset: dataset.rawValue, dropped: droppedIndices.count)
        }
        return try Classification.report(trueLabels: references, predicted: predicted)
    }
}

/// Unicode scalars with Python's substring test, so matching never depends on grapheme breaks.
struct ScalarText: Sendable {
    let scalars: [Unicode.Scalar]

    init(_ scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    func contains(_ pattern: String) -> Bool {
        Self.firstIndex(of: Array(pattern.unicodeScalars), in: scalars) != nil
    }

    static func firstIndex(of pattern: [Unicode.Scalar], in scalars: [Unicode.Scalar]) -> Int? {
        guard !pattern.isEmpty else { return 0 }
        guard scalars.count >= pattern.count else { return nil }
        for start in 0...(scalars.count - pattern.count) where scalars[start] == pattern[0] {
            if scalars[start..<(start + pattern.count)].elementsEqual(pattern) { return start }
        }
        return nil
    }
}
