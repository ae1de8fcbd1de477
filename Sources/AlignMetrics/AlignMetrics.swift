/// The metrics this module provides, one case each, with the reference implementation it matches.
///
/// A closed table so a run manifest or a report can name a metric and say exactly what its numbers
/// are comparable with; the implementing types carry the details.
public enum MetricKind: String, CaseIterable, Sendable {
    /// `BLEU.corpus`: the seed's corpus BLEU, 0–1.
    case bleu
    /// `SacreBLEU.corpus`: sacreBLEU's defaults, 0–100.
    case sacrebleu
    /// `ROUGE.score`: ROUGE-1/2/L precision, recall and F, mean over pairs.
    case rouge
    /// `Classification.report`: accuracy and micro/macro/weighted precision, recall and F1.
    case classification
    /// `IMHILabeller`: the seed's keyword rules turning IMHI answers into labels.
    case imhiRules = "imhi_rules"
    /// `WinRate`: win/tie/loss counts, the seed's ratio and a Wilson interval.
    case winRate = "win_rate"
    /// `BERTScore.score`: greedy cosine matching of contextual embeddings.
    case bertscore
    /// `BARTScore.score`: mean log-likelihood of the reference given the prediction.
    case bartscore
    /// `GPTScore.score`: mean log-likelihood of the reference after the prediction (causal LM).
    case gptscore

    /// The implementation and version whose numbers this metric reproduces.
    public var matches: String {
        switch self {
        case .bleu: return "HF evaluate \"bleu\" (TensorFlow-NMT compute_bleu) over sacrebleu 2.6.0 13a tokens"
        case .sacrebleu: return "sacrebleu 2.6.0 corpus_bleu, tokenize=13a"
        case .rouge: return "rouge_score 0.1.2 RougeScorer, no stemmer"
        case .classification: return "scikit-learn 1.9.1 accuracy_score, precision_recall_fscore_support"
        case .imhiRules: return "MentalLLaMA 42cd29d IMHI.py --rule_calculate / label_inference.py --calculate"
        case .winRate: return "MetaAligner 26d8dad *_GPT4_score.py tally; statsmodels 0.15 Wilson interval"
        case .bertscore: return "bert_score 0.3.12 score (greedy_cos_idf)"
        case .bartscore: return "BARTScore 248f511 BARTScorer.score (source = prediction)"
        case .gptscore: return "BARTScore's direction (source = prediction) with a local causal LM; replaces GPTScore 18b91c3's API models"
        }
    }
}
