import RealModule

/// Applies `SamplerSettings` to one position's logits and draws a token with the sequence's RNG.
public struct Sampler: Sendable {
    public let settings: SamplerSettings
    private var random: SeededRandom

    public init(settings: SamplerSettings) {
        self.settings = settings
        random = SeededRandom(seed: settings.seed)
    }

    /// The next token given `logits` and the ids seen so far (prompt and output) for the penalty.
    public mutating func next(logits: [Float], history: [Int32]) -> Int32 {
        var scores = logits
        if settings.repetitionPenalty != 1 { applyRepetitionPenalty(&scores, history) }
        if settings.temperature == 0 { return Self.argmax(scores) }
        let t = Float(settings.temperature)
        // Tokens more than 70 nats below the best (relative probability < 4e-31, total mass far
        // below the 2^-53 resolution of the draw) are dropped before sorting 49k candidates.
        let floor = (scores.max() ?? 0) - 70 * t
        // Candidates by descending score, ties by ascending id, so the draw is reproducible.
        var candidates = scores.indices.filter { scores[$0] >= floor }
        candidates.sort { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        // All-NaN or infinite logits leave nothing to draw from: fall back to the argmax.
        guard !candidates.isEmpty else { return Self.argmax(scores) }
        if settings.topK > 0 && settings.topK < candidates.count { candidates.removeLast(candidates.count - settings.topK) }
        var probabilities = Self.softmax(candidates.map { Double(scores[$0] / t) })
        if settings.topP < 1 {
            var cumulative = 0.0
            var keep = probabilities.count
            for (i, p) in probabilities.enumerated() {
                cumulative += p
                if cumulative >= settings.topP { keep = i + 1; break }
            }
            candidates.removeLast(candidates.count - keep)
            probabilities = Self.softmax(candidates.map { Double(scores[$0] / t) })
        }
        if settings.minP > 0, let top = probabilities.first {
            let keep = max(1, probabilities.prefix { $0 >= settings.minP * top }.count)
            candidates.removeLast(candidates.count - keep)
            probabilities = Self.softmax(candidates.map { Double(scores[$0] / t) })
        }
        let u = random.nextUnit()
        var cumulative = 0.0
        for (i, p) in probabilities.enumerated() {
            cumulative += p
            if u < cumulative { return Int32(candidates[i]) }
        }
        return Int32(candidates[candidates.count - 1])
    }

    /// Matches: transformers `RepetitionPenaltyLogitsProcessor` (divide positive scores, multiply
    /// negative ones, once per distinct id).
    private func applyRepetitionPenalty(_ scores: inout [Float], _ history: [Int32]) {
        let penalty = Float(settings.repetitionPenalty)
        for id in Set(history) where id >= 0 && Int(id) < scores.count {
            let s = scores[Int(id)]
            scores[Int(id)] = s < 0 ? s * penalty : s / penalty
        }
    }

    static func argmax(_ scores: [Float]) -> Int32 {
        var best = 0
        for i in scores.indices where scores[i] > scores[best] { best = i }
        return Int32(best)
    }

    static func softmax(_ values: [Double]) -> [Double] {
        guard let mx = values.max() else { return [] }
        let e = values.map { Double.exp($0 - mx) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }
}
