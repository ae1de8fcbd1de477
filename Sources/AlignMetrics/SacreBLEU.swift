import Foundation

/// Corpus BLEU with sacreBLEU's defaults, on its 0–100 scale.
///
/// Matches: sacrebleu 2.6.0 `corpus_bleu(hyps, [refs])` with `tokenize="13a"`, case kept, one
/// reference stream, and the given smoothing (`BLEU.compute_bleu`): each segment is right-stripped
/// (`str.rstrip`) and then tokenized with `Tokenizer13a`; a corpus without a single matching n-gram
/// scores 0; orders after the first with no predicted n-grams contribute log 0 (floored to
/// −9 999 999 999, as `my_log` does); BP = exp(1 − ref/sys) when the predictions are shorter.
public enum SacreBLEU {
    /// The smoothing methods of Chen & Cherry (2014) that sacreBLEU offers.
    public enum Smoothing: Sendable, Equatable {
        /// No smoothing: a zero precision makes BLEU 0.
        case none
        /// Method 1: a zero match count becomes `value` (sacreBLEU's default 0.1).
        case floor(Double)
        /// Method 2: add `value` to matches and totals of orders ≥ 2 (sacreBLEU's default 1).
        case addK(Double)
        /// Method 3 (NIST, mteval-v13a): the k-th zero precision becomes 1 / (2ᵏ · total). The default.
        case exponential
    }

    /// sacreBLEU's corpus score of `predictions` against one reference each.
    public static func corpus(
        predictions: [String], references: [String], smoothing: Smoothing = .exponential,
        effectiveOrder: Bool = false, maxOrder: Int = 4
    ) throws -> SacreBLEUResult {
        let statistics = try BLEUStatistics.collect(
            metric: "sacrebleu", predictions: predictions, references: references, maxOrder: maxOrder,
            tokenize: { Tokenizer13a.tokenize(scalars: PythonText.rstrip(Array($0.unicodeScalars))) })
        return SacreBLEUResult(statistics, smoothing: smoothing, effectiveOrder: effectiveOrder)
    }

    /// sacreBLEU's `sentence_bleu`: one pair, exponential smoothing, effective order on (so a short
    /// sentence is not zeroed by the orders it cannot have).
    public static func sentence(prediction: String, reference: String) throws -> SacreBLEUResult {
        try corpus(predictions: [prediction], references: [reference], smoothing: .exponential, effectiveOrder: true)
    }
}

/// The result of `SacreBLEU.corpus`; score and precisions are on sacreBLEU's 0–100 scale.
public struct SacreBLEUResult: Sendable, Equatable {
    public let score: Double
    /// Smoothed n-gram precision per order, 0…100.
    public let precisions: [Double]
    public let brevityPenalty: Double
    public let predictionLength: Int
    public let referenceLength: Int
    public let matches: [Int]
    public let totals: [Int]

    /// `my_log`'s stand-in for log 0.
    private static let logOfZero = -9_999_999_999.0

    init(_ statistics: BLEUStatistics, smoothing: SacreBLEU.Smoothing, effectiveOrder: Bool) {
        let system = statistics.predictionLength, reference = statistics.referenceLength
        var penalty = 1.0
        if system < reference {
            penalty = system > 0 ? exp(1 - Double(reference) / Double(system)) : 0
        }
        brevityPenalty = penalty
        predictionLength = system
        referenceLength = reference
        matches = statistics.matches
        totals = statistics.totals

        let order = statistics.matches.count
        var precisions = Array(repeating: 0.0, count: order)
        guard statistics.matches.contains(where: { $0 != 0 }) else {
            self.precisions = precisions
            score = 0
            return
        }
        var correct = statistics.matches.map(Double.init)
        var total = statistics.totals.map(Double.init)
        var mtevalFactor = 1.0
        var usedOrders = order
        for index in 0..<order {
            if case .addK(let k) = smoothing, index > 0 {
                correct[index] += k
                total[index] += k
            }
            if total[index] == 0 { break }
            if effectiveOrder { usedOrders = index + 1 }
            if correct[index] == 0 {
                switch smoothing {
                case .exponential:
                    mtevalFactor *= 2
                    precisions[index] = 100 / (mtevalFactor * total[index])
                case .floor(let value):
                    precisions[index] = 100 * value / total[index]
                case .none, .addK:
                    break
                }
            } else {
                precisions[index] = 100 * correct[index] / total[index]
            }
        }
        let logSum = precisions[0..<usedOrders].reduce(0.0) { $0 + ($1 == 0 ? Self.logOfZero : log($1)) }
        score = penalty * exp(logSum / Double(usedOrders))
        self.precisions = precisions
    }
}
