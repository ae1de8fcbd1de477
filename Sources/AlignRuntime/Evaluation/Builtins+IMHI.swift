import AlignMetrics

/// The IMHI rule labeller and classification metrics as language built-ins, so `stdlib/imhi.align`
/// can reproduce MentalLLaMA's `IMHI.py --rule_calculate` and `label_inference.py --calculate`
/// numbers without a model. Matches: AlignMetrics `IMHILabeller` and `Classification` (which cite
/// the seed scripts and scikit-learn); this file only converts values.
extension Builtins {
    static var imhi: [Builtin] {
        [
            Builtin("imhi_dataset", [.init("name")],
                    doc: "The IMHI dataset key of a key, file name or path, as the seed keys files (name up to the first `.`); unknown names are errors with did-you-mean. `imhi_dataset(\"out/t-sid.csv\") == \"t-sid\"`") { call in
                .string(try call.imhiDataset(0, "name").rawValue)
            },
            Builtin("imhi_label", [.init("dataset"), .init("text"), .init("side", optional: true), .init("rules", optional: true)],
                    doc: "The label the seed's rules give one text: `side` \"output\" (a model answer; no match gives the fallback label), \"label\" (a classifier's label name) or \"reference\" (`null` when no rule matches). `imhi_label(\"DR\", \"Yes. Reasoning: …\") == \"yes\"`") { call in
                try label(call)
            },
            Builtin("imhi_labels", [.init("dataset"), .init("outputs"), .init("references"), .init("kind", optional: true), .init("rules", optional: true)],
                    doc: "Labels parallel outputs and references: a record of `predicted`, `references` (kept pairs), `kept` and `dropped` row indices and the `ood` count. Pairs whose reference matches no rule are dropped. `imhi_labels(\"DR\", outs, refs).dropped`") { call in
                let labelling = try labelling(call)
                return .record(Record([
                    ("predicted", .list(labelling.predicted.map(Value.string))),
                    ("references", .list(labelling.references.map(Value.string))),
                    ("kept", .list(labelling.keptIndices.map(Value.int))),
                    ("dropped", .list(labelling.droppedIndices.map(Value.int))),
                    ("ood", .int(labelling.outOfDomainCount)),
                ]))
            },
            Builtin("rule_metrics", [.init("dataset"), .init("outputs"), .init("references"), .init("kind", optional: true), .init("rules", optional: true)],
                    doc: "The seed's rule-based correctness of one dataset: accuracy and weighted/micro/macro F1 (fractions), `ood`, and `dropped` pairs whose reference matches no rule. `rule_metrics(\"DR\", t.generated_text, t.goldens).accuracy`") { call in
                let labelling = try labelling(call)
                guard !labelling.keptIndices.isEmpty || !labelling.droppedIndices.isEmpty else {
                    throw call.error("`rule_metrics` needs at least one pair, got none")
                }
                let report = try call.measuring { try labelling.report() }
                return .record(Record([
                    ("dataset", .string(labelling.dataset.rawValue)),
                    ("n", .int(labelling.keptIndices.count + labelling.droppedIndices.count)),
                    ("scored", .int(labelling.keptIndices.count)),
                    ("accuracy", .float(report.accuracy)),
                    ("weighted_f1", .float(report.weighted.f1)),
                    ("micro_f1", .float(report.micro.f1)),
                    ("macro_f1", .float(report.macro.f1)),
                    ("ood", .int(labelling.outOfDomainCount)),
                    ("dropped", .int(labelling.droppedIndices.count)),
                    ("dropped_rows", .list(labelling.droppedIndices.map(Value.int))),
                ]))
            },
            Builtin("classification_report", [.init("true_labels"), .init("predicted")],
                    doc: "Accuracy and weighted/micro/macro F1 as scikit-learn computes them (labels = union of both lists, zero division gives 0), with a `per_label` table. `classification_report([\"a\", \"b\"], [\"a\", \"a\"]).accuracy == 0.5`") { call in
                let truth = try call.labels(0, "true_labels"), guesses = try call.labels(1, "predicted")
                let report = try call.measuring { try Classification.report(trueLabels: truth, predicted: guesses) }
                return .record(classificationRecord(report))
            },
        ]
    }

    /// Which reference phrases a call asks for: the union (default) or one seed script's.
    private static func referenceRules(_ call: BuiltinCall, _ i: Int) throws -> IMHILabeller.ReferenceRules {
        switch try call.choice(i, "rules", among: ["union", "generation", "classifier"], default: "union") {
        case "generation": return .generationScript
        case "classifier": return .labelInference
        default: return .union
        }
    }

    private static func labelling(_ call: BuiltinCall) throws -> IMHILabelling {
        let dataset = try call.imhiDataset(0, "dataset")
        let outputs = try call.texts(1, "outputs"), references = try call.texts(2, "references")
        let kind = try call.choice(3, "kind", among: ["text", "label"], default: "text")
        let labeller = IMHILabeller(
            dataset: dataset, predictionKind: kind == "label" ? .classifierLabel : .generatedText,
            referenceRules: try referenceRules(call, 4))
        return try call.measuring { try labeller.label(predictions: outputs, references: references) }
    }

    private static func label(_ call: BuiltinCall) throws -> Value {
        let dataset = try call.imhiDataset(0, "dataset")
        let text: String
        switch try call.argument(1) {
        case .string(let s): text = s
        case .null: text = ""
        case let v: throw call.typeError(1, "text", expected: "text", found: v)
        }
        let side = try call.choice(2, "side", among: ["output", "label", "reference"], default: "output")
        let labeller = IMHILabeller(dataset: dataset, predictionKind: side == "label" ? .classifierLabel : .generatedText,
                                    referenceRules: try referenceRules(call, 3))
        if side == "reference" { return labeller.labelReference(text).map(Value.string) ?? .null }
        return .string(labeller.labelPrediction(text).label)
    }

    private static func classificationRecord(_ report: ClassificationReport<String>) -> Record {
        let perLabel = Table(
            columnNames: ["label", "precision", "recall", "f1", "support"],
            columns: [
                report.labels.map(Value.string),
                report.perLabel.map { .float($0.precision) },
                report.perLabel.map { .float($0.recall) },
                report.perLabel.map { .float($0.f1) },
                report.supports.map(Value.int),
            ])
        return Record([
            ("accuracy", .float(report.accuracy)),
            ("weighted_f1", .float(report.weighted.f1)),
            ("micro_f1", .float(report.micro.f1)),
            ("macro_f1", .float(report.macro.f1)),
            ("per_label", .table(perLabel)),
        ])
    }
}
