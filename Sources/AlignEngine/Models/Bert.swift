import CBLAS
import Foundation

/// A BERT encoder (post-LayerNorm transformer, GELU feed-forward) in f32 over OpenBLAS.
/// Matches: transformers `modeling_bert.py` (`BertModel`: embeddings = word + position +
/// token type, LayerNorm; each layer: self-attention, dense, add & LayerNorm, intermediate
/// GELU, dense, add & LayerNorm).
///
/// A batch is packed without padding: all sequences' tokens are rows of one matrix, so the
/// dense layers run as one GEMM and attention runs per sequence on its own rows. A row's result
/// therefore does not depend on which other sequences share the batch.
public final class BertModel: @unchecked Sendable {
    // MARK: - Config and weights

    public let config: BertConfig
    public let location: String
    let wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings: BertTensor
    let embeddingNorm: BertLayerNorm
    let layers: [BertLayer]
    /// `pooler.dense` (tanh of the first token), present in classification checkpoints.
    let pooler: BertLinear?
    let weights: BertWeightReader

    /// Loads `config.json` and the weights of a model folder.
    public convenience init(folder: String) throws(EngineError) {
        let config = try BertConfig(HFConfig(path: (folder as NSString).appendingPathComponent("config.json")))
        try self.init(store: CheckpointFiles.open(folder: folder), config: config)
    }

    public init(store: TensorStore, config c: BertConfig) throws(EngineError) {
        let w = BertWeightReader(store: store)
        let h = c.hiddenSize
        wordEmbeddings = try w.tensor("embeddings.word_embeddings.weight", [c.vocabSize, h])
        positionEmbeddings = try w.tensor("embeddings.position_embeddings.weight", [c.maxPositions, h])
        tokenTypeEmbeddings = try w.tensor("embeddings.token_type_embeddings.weight", [c.typeVocabSize, h])
        embeddingNorm = try w.layerNorm("embeddings.LayerNorm", size: h)
        var layers: [BertLayer] = []
        for i in 0..<c.layerCount { layers.append(try w.layer(i, c)) }
        self.layers = layers
        pooler = store.tensors[w.prefix + "pooler.dense.weight"] == nil ? nil : try w.linear("pooler.dense", out: h, in: h)
        config = c
        location = store.location
        weights = w
    }

    // MARK: - Forward

    /// Hidden states after `layer` encoder layers (0 = the embeddings, as transformers numbers
    /// `hidden_states`; default: the last layer) for every token of every sequence.
    /// `attentionMask` (1 = attend) hides padding keys when callers pass padded sequences.
    public func encode(_ ids: [[Int32]], tokenTypes: [[Int32]]? = nil, attentionMask: [[Int32]]? = nil,
                       layer: Int? = nil) throws(EngineError) -> BertEncoding {
        let depth = layer ?? config.layerCount
        guard (0...config.layerCount).contains(depth) else {
            throw .invalidArgument("layer \(depth) is outside 0...\(config.layerCount)")
        }
        let batch = try BertBatch(ids: ids, tokenTypes: tokenTypes, attentionMask: attentionMask, config: config)
        let h = config.hiddenSize
        let scratch = BertScratch(rows: batch.rowCount, hidden: h, intermediate: config.intermediateSize,
                                  longest: batch.lengths.max() ?? 0)
        embed(batch, into: scratch.x)
        for l in layers.prefix(depth) { run(l, batch, scratch) }
        return BertEncoding(hiddenSize: h, lengths: batch.lengths, offsets: batch.offsets,
                            hidden: Array(UnsafeBufferPointer(start: scratch.x, count: batch.rowCount * h)))
    }

    private func embed(_ batch: BertBatch, into x: UnsafeMutablePointer<Float>) {
        let h = config.hiddenSize
        for (s, offset) in batch.offsets.enumerated() {
            for p in 0..<batch.lengths[s] {
                let row = x + (offset + p) * h
                let word = wordEmbeddings.values + Int(batch.ids[s][p]) * h
                let position = positionEmbeddings.values + p * h
                let type = tokenTypeEmbeddings.values + Int(batch.tokenTypes[s][p]) * h
                for i in 0..<h { row[i] = word[i] + position[i] + type[i] }
            }
        }
        BertMath.addAndNormalize(x, residual: nil, rows: batch.rowCount, width: h, embeddingNorm, epsilon: config.layerNormEpsilon)
    }

    private func run(_ layer: BertLayer, _ batch: BertBatch, _ s: BertScratch) {
        let n = batch.rowCount, h = config.hiddenSize, eps = config.layerNormEpsilon
        BertMath.linear(s.x, rows: n, layer.query, into: s.q)
        BertMath.linear(s.x, rows: n, layer.key, into: s.k)
        BertMath.linear(s.x, rows: n, layer.value, into: s.v)
        attend(batch, s)
        BertMath.linear(s.context, rows: n, layer.attentionOutput, into: s.projected)
        BertMath.addAndNormalize(s.projected, residual: s.x, rows: n, width: h, layer.attentionNorm, epsilon: eps)
        BertMath.linear(s.projected, rows: n, layer.intermediate, into: s.intermediate)
        BertMath.activate(s.intermediate, count: n * config.intermediateSize, config.activation)
        BertMath.linear(s.intermediate, rows: n, layer.output, into: s.x)
        BertMath.addAndNormalize(s.x, residual: s.projected, rows: n, width: h, layer.outputNorm, epsilon: eps)
    }

    /// Scaled dot-product attention per sequence and head: softmax(Q·Kᵀ/√d)·V.
    private func attend(_ batch: BertBatch, _ s: BertScratch) {
        let h = config.hiddenSize, d = config.headDim
        let scale = 1 / Float(d).squareRoot()
        for (seq, offset) in batch.offsets.enumerated() {
            let len = batch.lengths[seq]
            let everyKey = !batch.keep[seq].contains(false)
            batch.keep[seq].withUnsafeBufferPointer { keep in
                guard let keep = keep.baseAddress else { return }
                for head in 0..<config.headCount {
                    let at = offset * h + head * d
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(len), Int32(len), Int32(d),
                                scale, s.q + at, Int32(h), s.k + at, Int32(h), 0, s.scores, Int32(len))
                    if everyKey {
                        BertMath.softmaxRows(s.scores, rows: len, cols: len)
                    } else {
                        BertMath.softmaxRows(s.scores, rows: len, cols: len, keep: keep)
                    }
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(len), Int32(d), Int32(len),
                                1, s.scores, Int32(len), s.v + at, Int32(h), 0, s.context + at, Int32(h))
                }
            }
        }
    }
}
