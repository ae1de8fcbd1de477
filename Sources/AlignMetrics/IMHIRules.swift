/// One ordered substring rule: a lower-case pattern and the class it stands for.
struct IMHIRule: Sendable {
    let pattern: String
    let label: String
}

/// The seed's keyword rules for one IMHI dataset (seed-reference A1 and A2), with classes named by
/// the label phrases of the reference answers instead of the seed's integer ids (ids only grouped).
///
/// Four ordered lists, first match wins in each:
/// * `generatedText`, `fallback` — IMHI.py on a model's free-text answer;
/// * `generationReference` — IMHI.py on the reference answer;
/// * `classifierLabel`, `classifierReference` — label_inference.py on a classifier's label name and
///   on the reference answer.
struct IMHIRules: Sendable {
    let generatedText: [IMHIRule]
    let fallback: String
    let generationReference: [IMHIRule]
    let classifierLabel: [IMHIRule]
    let classifierReference: [IMHIRule]

    static func of(_ dataset: IMHIDataset) -> IMHIRules {
        switch dataset {
        case .swmh: return swmh
        case .tSID: return tSID
        case .clp, .dr, .dreaddit, .loneliness, .irf, .multiWD: return binary
        case .sad: return sad
        case .cams: return cams
        }
    }

    private static func rules(_ pairs: KeyValuePairs<String, String>) -> [IMHIRule] {
        pairs.map { IMHIRule(pattern: $0.key, label: $0.value) }
    }

    private static let swmhWords: KeyValuePairs<String, String> = [
        "no mental": "no mental disorder", "suicide": "suicide", "depression": "depression",
        "anxiety": "anxiety", "bipolar": "bipolar disorder",
    ]
    /// Unmatched references are dropped in both seed scripts.
    static let swmh = IMHIRules(
        generatedText: rules(swmhWords), fallback: "no mental disorder",
        generationReference: rules(swmhWords),
        classifierLabel: rules(swmhWords), classifierReference: rules(swmhWords))

    /// The classifier calls "no mental disorders" `control`.
    static let tSID = IMHIRules(
        generatedText: rules([
            "depression": "depression", "suicide": "suicide or self-harm tendency", "ptsd": "ptsd",
            "no mental": "no mental disorders",
        ]),
        fallback: "no mental disorders",
        generationReference: rules([
            "depression": "depression", "suicide or self-harm": "suicide or self-harm tendency", "ptsd": "ptsd",
            "no mental disorders": "no mental disorders",
        ]),
        classifierLabel: rules([
            "depression": "depression", "suicide": "suicide or self-harm tendency", "ptsd": "ptsd",
            "control": "no mental disorders",
        ]),
        classifierReference: rules([
            "depression": "depression", "suicide or self-harm": "suicide or self-harm tendency", "ptsd": "ptsd",
            "no mental": "no mental disorders",
        ]))

    /// DR, dreaddit, loneliness, Irf, MultiWD and CLP: `yes` before `no`, on both sides.
    static let binary = IMHIRules(
        generatedText: rules(["yes": "yes", "no": "no"]), fallback: "no",
        generationReference: rules(["yes": "yes", "no": "no"]),
        classifierLabel: rules(["yes": "yes", "no": "no"]),
        classifierReference: rules(["yes": "yes", "no": "no"]))

    /// IMHI.py's reference phrases follow the completion files (`emotional turmoil`, `other causes`),
    /// label_inference.py's the instruction files (`emotion turmoil`, `other`).
    static let sad = IMHIRules(
        generatedText: rules([
            "school": "school", "financial": "financial problem", "family": "family issues",
            "social": "social relationships", "work": "work", "health": "health issues",
            "emotional": "emotional turmoil", "decision": "everyday decision making", "other": "other causes",
        ]),
        fallback: "other causes",
        generationReference: rules([
            "school": "school", "financial problem": "financial problem", "family issues": "family issues",
            "social relationships": "social relationships", "work": "work", "health issues": "health issues",
            "emotional turmoil": "emotional turmoil", "everyday decision making": "everyday decision making",
            "other causes": "other causes",
        ]),
        classifierLabel: rules([
            "school": "school", "financial": "financial problem", "family": "family issues",
            "social": "social relationships", "work": "work", "health": "health issues",
            "emotional": "emotional turmoil", "everyday": "everyday decision making", "other": "other causes",
        ]),
        classifierReference: rules([
            "school": "school", "financial problem": "financial problem", "family issues": "family issues",
            "social relationships": "social relationships", "work": "work", "health issues": "health issues",
            "emotion turmoil": "emotional turmoil", "everyday decision making": "everyday decision making",
            "other": "other causes",
        ]))

    /// IMHI.py expects the completion answer `none.`, label_inference.py the instruction answer
    /// `This post shows no causes of depression.`
    static let cams = IMHIRules(
        generatedText: rules([
            "none": "none", "bias": "bias or abuse", "jobs": "jobs and career", "medication": "medication",
            "relationship": "relationship", "alienation": "alienation",
        ]),
        fallback: "none",
        generationReference: rules([
            "none": "none", "bias or abuse": "bias or abuse", "jobs and career": "jobs and career",
            "medication": "medication", "relationship": "relationship", "alienation": "alienation",
        ]),
        classifierLabel: rules([
            "none": "none", "bias": "bias or abuse", "job": "jobs and career", "medication": "medication",
            "relation": "relationship", "alienation": "alienation",
        ]),
        classifierReference: rules([
            "no causes": "none", "bias or abuse": "bias or abuse", "jobs and career": "jobs and career",
            "medication": "medication", "relationship": "relationship", "alienation": "alienation",
        ]))
}
