/// The MetaAligner prompt families and how the seed picks one from the aligner's name.
/// Matches: MetaAligner `inference/aligner_inference.py` (templates and family inference; see
/// seed-reference B1). `stdlib/metaaligner.align` defines the same templates as `prompt` values.
enum MetaAlignerFamily: String, CaseIterable {
    case hhRLHF = "hh_rlhf"
    case ultraFeedback = "ultrafeedback"
    case imhi = "imhi"

    /// The family a checkpoint was trained for, from its id or path: `HH-RLHF`, else
    /// `UltraFeedback`, else `IMHI` (case-sensitive substrings, as the seed tests them);
    /// nil when none appears.
    static func inferred(from name: String) -> MetaAlignerFamily? {
        if name.contains("HH-RLHF") { return .hhRLHF }
        if name.contains("UltraFeedback") { return .ultraFeedback }
        if name.contains("IMHI") { return .imhi }
        return nil
    }

    /// The edit request for one answer; `aspects` are the objective texts joined by "; ".
    func prompt(aspects: String, question: String, answer: String) -> String {
        switch self {
        case .hhRLHF:
            "\(Self.preamble("context")): \(aspects) | Context: \(question) | Answer: \(answer) | Edit: "
        case .ultraFeedback:
            "\(Self.preamble("query")): \(aspects) | Query: \(question) | Answer: \(answer) | Edit: "
        case .imhi:
            "Edit the following Question-Answer pair to make it better considering these aspects \"\(aspects)\" | Question: \(question) | Answer: \(answer) | Edit: "
        }
    }

    /// The HH-RLHF and UltraFeedback templates differ only in what the question is called.
    private static func preamble(_ what: String) -> String {
        "You are an assistant to human. You will be provided with a \(what) and an answer. Consider the \(what), then edit the answer to improve it considering these aspects"
    }
}
