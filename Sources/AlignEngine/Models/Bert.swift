import CKernels
import Foundation
import Synchronization

/// A BERT encoder (post-LayerNorm transformer, GELU feed-forward) in f32.
/// Matches: transformers `modeling_bert.py` (`BertModel`: embeddings = word + position +
/// token type, LayerNorm; each layer: self-attention, dense, add & LayerNorm, intermediate
/// GELU, dense, add & LayerNorm).
///
/// A batch is packed without padding: all sequences' tokens are rows of one matrix, so the
/// dense layers are matrix products over row chunks of it and attention runs per sequence on its
/// own rows; both spread over the worker pool (`BertParallel`). Every kernel works row by row
/// or sequence by sequence in a fixed order, so a sequence's result is bit-identical whatever
/// other sequences share its batch.
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
    /// The last forward pass's buffers, reused by the next one that fits in them.
    private let scratchCache = Mutex<BertScratch?>(nil)

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
        let work = BertParallel(pool: WorkerPool.shared)
        let scratch = takeScratch(batch, threads: work.threads)
        defer { keepScratch(scratch) }
        work.withSingleThreadedBLAS {
            work.forEachRowChunk(batch.rowCount) { _, rows in embed(batch, rows: rows, into: scratch.x) }
            for layer in layers.prefix(depth) { run(layer, batch, scratch, work) }
        }
        return BertEncoding(hiddenSize: h, lengths: batch.lengths, offsets: batch.offsets,
                            hidden: Array(UnsafeBufferPointer(start: scratch.x, count: batch.rowCount * h)))
    }

    /// The cached buffers if `batch` fits in them, else new ones at least as large. Concurrent
    /// calls each get their own: only one finds the cache full.
    private func takeScratch(_ batch: BertBatch, threads: Int) -> BertScratch {
        let rows = batch.rowCount, longest = batch.lengths.max() ?? 0
        let cached = scratchCache.withLock { cache -> BertScratch? in
            let taken = cache
            cache = nil
            return taken
        }
        if let cached, cached.fits(rows: rows, longest: longest, threads: threads) { return cached }
        return BertScratch(rows: max(rows, cached?.rows ?? 0), hidden: config.hiddenSize,
                           intermediate: config.intermediateSize, longest: max(longest, cached?.longest ?? 0),
                           headDim: config.headDim, threads: threads)
    }

    /// Keeps `scratch` for the next call unless it holds more than 32 MiB (a rare long batch
    /// should not pin its memory; MiniLM's batches of 32 sentences take about 15) or a larger one
    /// is cached.
    private func keepScratch(_ scratch: BertScratch) {
        guard scratch.count <= 8 << 20 else { return }
        scratchCache.withLock { cache in
            if let cached = cache, cached.rows >= scratch.rows { return }
            cache = scratch
        }
    }

    /// Word + position + token type embeddings, then LayerNorm, for rows `rows` of the batch.
    private func embed(_ batch: BertBatch, rows: Range<Int>, into x: UnsafeMutablePointer<Float>) {
        let h = config.hiddenSize
        for r in rows {
            let row = x + r * h
            let word = wordEmbeddings.values + Int(batch.rowIds[r]) * h
            let position = positionEmbeddings.values + Int(batch.rowPositions[r]) * h
            let type = tokenTypeEmbeddings.values + Int(batch.rowTypes[r]) * h
            for i in 0..<h { row[i] = word[i] + position[i] + type[i] }
        }
        normalize(x + rows.lowerBound * h, adding: nil, rows: rows.count, embeddingNorm)
    }

    /// One encoder layer in three parallel steps: the stacked query/key/value product, attention,
    /// then everything that is row by row (`finish`). The product gets a step of its own,
    /// rather than joining the previous layer's row-by-row step, so that the threads read the
    /// same weights at about the same time: the six layers' 42 MB of weights do not fit in L3,
    /// and threads on different weights made the two-thread encoder 10% slower.
    private func run(_ layer: BertLayer, _ batch: BertBatch, _ s: BertScratch, _ work: BertParallel) {
        let h = config.hiddenSize
        work.forEachRowChunk(batch.rowCount) { _, r in
            layer.queryKeyValue.apply(s.x + r.lowerBound * h, rows: r.count, into: s.queryKeyValue + r.lowerBound * 3 * h)
        }
        attend(batch, s, work)
        work.forEachRowChunk(batch.rowCount) { _, r in finish(layer, rows: r, s) }
    }

    /// Everything of a layer after attention, row by row on rows `rows` (output projection, add &
    /// LayerNorm, feed-forward, add & LayerNorm), while the chunk is in cache.
    private func finish(_ layer: BertLayer, rows r: Range<Int>, _ s: BertScratch) {
        let h = config.hiddenSize, width = config.intermediateSize
        let x = s.x + r.lowerBound * h, projected = s.projected + r.lowerBound * h
        let intermediate = s.intermediate + r.lowerBound * width
        layer.attentionOutput.apply(s.context + r.lowerBound * h, rows: r.count, into: projected)
        normalize(projected, adding: x, rows: r.count, layer.attentionNorm)
        layer.intermediate.apply(projected, rows: r.count, into: intermediate)
        if config.activation == .gelu {
            ck_bert_gelu(intermediate, r.count * width)
        } else {
            BertMath.activate(intermediate, count: r.count * width, config.activation)
        }
        layer.output.apply(intermediate, rows: r.count, into: x)
        normalize(x, adding: projected, rows: r.count, layer.outputNorm)
    }

    /// `x = LayerNorm(x + residual)` over `rows` rows of the hidden size.
    private func normalize(_ x: UnsafeMutablePointer<Float>, adding residual: UnsafePointer<Float>?, rows: Int,
                           _ norm: BertLayerNorm) {
        ck_bert_add_layer_norm(x, residual, Int32(rows), Int32(config.hiddenSize), norm.weight.values, norm.bias.values,
                               config.layerNormEpsilon)
    }
}
