import Foundation

/// sentence-transformers on top of a BERT encoder: pooling and normalisation as the model
/// folder's `modules.json`, `1_Pooling/config.json` and `sentence_bert_config.json` say.
///
/// Matches: sentence-transformers `models.Pooling` (mean over attended tokens, CLS, max,
/// mean·√len) and `models.Normalize` (L2); `max_seq_length` truncation of the token ids.
public final class SentenceEmbedder: @unchecked Sendable {
    public enum Pooling: String, Sendable {
        case mean, cls, max, meanSqrtLength
    }

    public let encoder: BertModel
    public let pooling: Pooling
    public let normalize: Bool
    /// Longer inputs are cut to this many tokens (the final `[SEP]` is lost, as in sentence-transformers).
    public let maxSequenceLength: Int

    public var dimension: Int { encoder.config.hiddenSize }

    public init(folder: String) throws(EngineError) {
        let encoder = try BertModel(folder: folder)
        var pooling = Pooling.mean
        var normalize = false
        let modulesPath = (folder as NSString).appendingPathComponent("modules.json")
        if FileManager.default.fileExists(atPath: modulesPath) {
            for module in try HFJSON.read(path: modulesPath).arrayValue ?? [] {
                let type = module["type"]?.stringValue ?? ""
                if type.hasSuffix("Normalize") { normalize = true }
                if type.hasSuffix("Pooling"), let sub = module["path"]?.stringValue {
                    pooling = try Self.pooling(HFConfig(path: (folder as NSString).appendingPathComponent(sub + "/config.json")))
                }
            }
        }
        var maxLength = encoder.config.maxPositions
        let stPath = (folder as NSString).appendingPathComponent("sentence_bert_config.json")
        if FileManager.default.fileExists(atPath: stPath), let limit = try HFConfig(path: stPath).int("max_seq_length") {
            maxLength = min(maxLength, max(1, limit))
        }
        self.encoder = encoder
        self.pooling = pooling
        self.normalize = normalize
        self.maxSequenceLength = maxLength
    }

    static func pooling(_ config: HFConfig) throws(EngineError) -> Pooling {
        if try config.bool("pooling_mode_mean_tokens") == true { return .mean }
        if try config.bool("pooling_mode_cls_token") == true { return .cls }
        if try config.bool("pooling_mode_max_tokens") == true { return .max }
        if try config.bool("pooling_mode_mean_sqrt_len_tokens") == true { return .meanSqrtLength }
        throw .unsupported("\(config.path): no pooling mode the engine implements is enabled")
    }

    /// One embedding per tokenized sentence.
    public func embed(_ ids: [[Int32]]) throws(EngineError) -> [[Float]] {
        let cut = ids.map { Array($0.prefix(maxSequenceLength)) }
        let encoding = try encoder.encode(cut)
        return cut.indices.map { s in
            var v = pooled(encoding, sequence: s)
            if normalize {
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                let scale = 1 / max(norm, 1e-12)
                for i in v.indices { v[i] *= scale }
            }
            return v
        }
    }

    private func pooled(_ encoding: BertEncoding, sequence s: Int) -> [Float] {
        let n = encoding.lengths[s]
        if pooling == .cls { return Array(encoding.token(sequence: s, position: 0)) }
        var v = [Float](repeating: pooling == .max ? -.infinity : 0, count: encoding.hiddenSize)
        for p in 0..<n {
            for (i, x) in encoding.token(sequence: s, position: p).enumerated() {
                v[i] = pooling == .max ? Swift.max(v[i], x) : v[i] + x
            }
        }
        let divisor: Float = switch pooling {
        case .mean: Float(n)
        case .meanSqrtLength: Float(n).squareRoot()
        case .cls, .max: 1
        }
        return v.map { $0 / divisor }
    }
}
