import CKernels
import Synchronization

/// A LLaMA-family decoder (RMSNorm, rotary embeddings, grouped-query attention, SwiGLU) running
/// in f32 on weights kept in their stored, usually quantized, type.
/// Matches: transformers `modeling_llama.py` (LlamaForCausalLM), llama.cpp `llm_build_llama`.
///
/// One forward pass at a time per model (it owns its scratch buffers); several sequences can
/// share a pass. Each output row is computed the same way whatever the batch or thread count.
public final class LlamaModel: @unchecked Sendable {
    // MARK: - Config

    public let config: LlamaConfig
    public let location: String
    /// Rows per pass: longer inputs are processed in chunks (same results, bounded memory).
    public var maxBatchRows = 128
    /// Int8 activations (llama.cpp's numbers, faster) or f32 (transformers' numbers).
    public let precision: Precision
    let pool: WorkerPool
    let rotary: RotaryTable
    private let workspace = LlamaWorkspace()
    /// Passes from different threads take turns (they share the workspace).
    private let passLock = Mutex<Void>(())

    // MARK: - Weights

    struct Layer {
        let attentionNorm: FloatBuffer
        let query, key, value, attentionOutput: LinearWeight
        let ffnNorm: FloatBuffer
        let gate, up, down: LinearWeight
    }

    /// Token embeddings; the output layer's weight itself when the two are tied.
    let embedding: LinearWeight
    let layers: [Layer]
    let finalNorm: FloatBuffer
    let output: LinearWeight

    /// Builds the model over `store` (GGUF or HF names). Without `config`, a GGUF's `llama.*`
    /// metadata is used; HF checkpoints pass the config parsed from `config.json`.
    public static func load(store: TensorStore, config: LlamaConfig? = nil, pool: WorkerPool = .shared,
                            precision: Precision = .environmentDefault) throws(EngineError) -> LlamaModel {
        let resolved: LlamaConfig
        if let config {
            resolved = config
        } else if let gguf = store as? GGUFFile {
            resolved = try LlamaConfig.fromGGUF(gguf)
        } else {
            throw .invalidArgument("\(store.location): a LLaMA config is needed for this checkpoint")
        }
        try resolved.validate(source: store.location)
        return try LlamaModel(store: store, config: resolved, pool: pool, precision: precision)
    }

    private init(store: TensorStore, config c: LlamaConfig, pool: WorkerPool, precision: Precision) throws(EngineError) {
        let loader = LlamaWeightLoader(store: store, names: .detect(store))
        let storedEmbedding = try loader.matrix(loader.names.embedding, rows: c.vocabSize, cols: c.hiddenSize)
        var stored: [[QuantizedMatrix]] = []
        for i in 0..<c.layerCount { stored.append(try loader.layerMatrices(i, c)) }
        finalNorm = try loader.vector(loader.names.finalNorm, count: c.hiddenSize)
        let storedOutput: QuantizedMatrix
        let tied = store.tensors[loader.names.output] == nil && c.tiedEmbeddings
        if tied {
            storedOutput = storedEmbedding
        } else {
            storedOutput = try loader.matrix(loader.names.output, rows: c.vocabSize, cols: c.hiddenSize)
        }
        let weights = LinearWeight.prepare(stored + [[storedOutput]], precision: precision, pool: pool)
        var layers: [Layer] = []
        for i in 0..<c.layerCount {
            layers.append(try loader.layer(i, c, weights[i]))
        }
        self.layers = layers
        output = weights[c.layerCount][0]
        embedding = tied ? output : LinearWeight(stored: storedEmbedding, packed: nil)
        self.config = c
        self.location = store.location
        self.pool = pool
        self.precision = precision
        self.rotary = RotaryTable(config: c)
    }

    /// A cache for one sequence: f16 keys and values in `.fast` precision (they are rounded to f16
    /// anyway, as llama.cpp stores them), f32 in `.exact`.
    public func makeCache() -> LlamaKVCache { LlamaKVCache(config: config, halfPrecision: precision == .fast) }

    // MARK: - Forward

    /// One sequence's part of a forward pass: `tokens` are appended after what `cache` holds.
    public struct Input {
        public var tokens: [Int32]
        public var cache: LlamaKVCache
        /// Logits for every new position (`logprob`) instead of only the last.
        public var allLogits: Bool

        public init(tokens: [Int32], cache: LlamaKVCache, allLogits: Bool = false) {
            self.tokens = tokens
            self.cache = cache
            self.allLogits = allLogits
        }
    }

    /// Runs the inputs and returns, per input, the logits (`vocabSize` floats per returned
    /// position, positions in order).
    public func forward(_ inputs: [Input]) throws(EngineError) -> [[Float]] {
        try passLock.withLock { (_: inout Void) throws(EngineError) -> [[Float]] in try forwardLocked(inputs) }
    }

    private func forwardLocked(_ inputs: [Input]) throws(EngineError) -> [[Float]] {
        var results = [[Float]](repeating: [], count: inputs.count)
        for (i, input) in inputs.enumerated() {
            guard !input.tokens.isEmpty else { throw .invalidArgument("empty input for sequence \(i)") }
            guard input.cache.layerCount == config.layerCount, input.cache.kvDim == config.kvDim else {
                throw .invalidArgument("sequence \(i) uses a KV cache made by a different model")
            }
            for t in input.tokens where t < 0 || Int(t) >= config.vocabSize {
                throw .invalidArgument("token id \(t) is outside the vocabulary (0..<\(config.vocabSize))")
            }
            let end = input.cache.length + input.tokens.count
            guard end <= config.maxPositions else {
                throw .invalidArgument("sequence of \(end) tokens exceeds the model's context of \(config.maxPositions)")
            }
            try input.cache.reserve(end)
        }
        // Pack (input, token range) pieces into passes of at most maxBatchRows rows.
        let limit = max(1, maxBatchRows)
        var pass: [Piece] = []
        var rows = 0
        for (i, input) in inputs.enumerated() {
            var start = 0
            while start < input.tokens.count {
                if rows == limit { runPass(pass, inputs, &results); pass = []; rows = 0 }
                let n = min(input.tokens.count - start, limit - rows)
                pass.append(Piece(input: i, tokens: start..<start + n))
                rows += n
                start += n
            }
        }
        if !pass.isEmpty { runPass(pass, inputs, &results) }
        return results
    }

    /// Convenience for one sequence: logits of the last position.
    public func forward(tokens: [Int32], cache: LlamaKVCache) throws(EngineError) -> [Float] {
        try forward([Input(tokens: tokens, cache: cache)])[0]
    }

    struct Piece {
        let input: Int
        let tokens: Range<Int>
    }

    private func runPass(_ pieces: [Piece], _ inputs: [Input], _ results: inout [[Float]]) {
        let c = config
        var rowCache: [LlamaKVCache] = []
        var rowPosition: [Int] = []
        var logitRows: [(row: Int, input: Int)] = []
        for piece in pieces {
            let input = inputs[piece.input]
            for t in piece.tokens {
                if input.allLogits || t == input.tokens.count - 1 { logitRows.append((rowPosition.count, piece.input)) }
                rowCache.append(input.cache)
                rowPosition.append(input.cache.length + t - piece.tokens.lowerBound)
            }
        }
        let m = rowPosition.count
        // Prefill of a single sequence may use sgemm; passes mixing sequences (batched decode)
        // stay on the tile kernels so no sequence's numbers depend on its neighbours.
        let sgemm = pieces.count == 1
        let ws = workspace.prepare(config: c, rows: m, keys: rowPosition.max().map { $0 + 1 } ?? 1, threads: pool.threadCount)
        var r = 0
        for piece in pieces {
            for t in piece.tokens {
                embedding.dequantizeRow(Int(inputs[piece.input].tokens[t]), into: ws.x + r * c.hiddenSize)
                rotary.angles(position: rowPosition[r], into: ws.rope + r * c.ropeDim)
                r += 1
            }
        }
        for (index, layer) in layers.enumerated() {
            attentionBlock(layer, index: index, ws: ws, m: m, caches: rowCache, positions: rowPosition, sgemm: sgemm)
            feedForwardBlock(layer, ws: ws, m: m, sgemm: sgemm)
        }
        for piece in pieces { inputs[piece.input].cache.length += piece.tokens.count }
        logits(rows: logitRows, ws: ws, sgemm: sgemm, into: &results)
    }

    private func attentionBlock(_ layer: Layer, index: Int, ws: LlamaWorkspace, m: Int,
                                caches: [LlamaKVCache], positions: [Int], sgemm: Bool) {
        let c = config
        for r in 0..<m {
            Activations.rmsNorm(ws.x + r * c.hiddenSize, layer.attentionNorm.pointer, c.hiddenSize,
                                epsilon: c.rmsEpsilon, into: ws.xn + r * c.hiddenSize)
        }
        linear([(layer.query, ws.q, c.qDim), (layer.key, ws.k, c.kvDim), (layer.value, ws.v, c.kvDim)],
               ws.xn, ldx: c.hiddenSize, cols: c.hiddenSize, m: m, ws: ws, sgemm: sgemm)
        for r in 0..<m {
            let table = UnsafePointer(ws.rope + r * c.ropeDim)
            rotary.apply(ws.q + r * c.qDim, heads: c.headCount, table: table)
            rotary.apply(ws.k + r * c.kvDim, heads: c.kvHeadCount, table: table)
            if precision == .fast {
                ck_round_to_f16(ws.q + r * c.qDim, Int32(c.qDim))
            }
            caches[r].store(layer: index, position: positions[r], key: ws.k + r * c.kvDim, value: ws.v + r * c.kvDim)
        }
        attend(layer: index, ws: ws, m: m, caches: caches, positions: positions)
        linear([(layer.attentionOutput, ws.projection, c.hiddenSize)], ws.attention, ldx: c.qDim, cols: c.qDim, m: m,
               ws: ws, sgemm: sgemm)
        Activations.add(ws.x, ws.projection, m * c.hiddenSize)
    }

    /// One unit of attention work: a run of consecutive positions of one sequence with one kv
    /// head's query heads (blocked kernel), or a single row with one query head.
    private struct AttentionUnit {
        let row: Int
        let rows: Int
        /// A kv head for a blocked unit, a query head for a lone row.
        let head: Int
        let blocked: Bool
    }

    /// Attention for every row: runs of consecutive positions of one sequence (prefill) go through
    /// `ck_attention_rows` in blocks of 8 rows per kv head, lone rows (decode) per query head. Both
    /// give a row the same bits (see ckernels.h), so neither the batch nor the split matters.
    private func attend(layer index: Int, ws: LlamaWorkspace, m: Int, caches: [LlamaKVCache], positions: [Int]) {
        let c = config
        let scale = 1 / Float(c.headDim).squareRoot()
        var units: [AttentionUnit] = []
        var r = 0
        while r < m {
            var end = r + 1
            while end < m && caches[end] === caches[r] && positions[end] == positions[end - 1] + 1 { end += 1 }
            if end - r == 1 {
                for h in 0..<c.headCount { units.append(AttentionUnit(row: r, rows: 1, head: h, blocked: false)) }
            } else {
                for g in 0..<c.kvHeadCount {
                    for start in stride(from: r, to: end, by: 8) {
                        units.append(AttentionUnit(row: start, rows: min(8, end - start), head: g, blocked: true))
                    }
                }
            }
            r = end
        }
        pool.parallelFor(units.count) { part, range, _ in
            let scores = ws.scores + part * ws.scoresPerPart
            for u in units[range] {
                let cache = caches[u.row]
                let keys = cache.keys(layer: index), values = cache.values(layer: index)
                if u.blocked {
                    ck_attention_rows(ws.q + u.row * c.qDim, c.qDim, Int32(u.rows), Int32(positions[u.row] + 1), keys, values,
                                      cache.halfPrecision ? 1 : 0, c.kvDim, Int32(c.headCount), Int32(c.kvHeadCount),
                                      Int32(c.headDim), scale, Int32(u.head), ws.attention + u.row * c.qDim, c.qDim, scores)
                } else if cache.halfPrecision {
                    ck_attention_f16(ws.q + u.row * c.qDim, keys.assumingMemoryBound(to: UInt16.self),
                                     values.assumingMemoryBound(to: UInt16.self), c.kvDim, Int32(positions[u.row] + 1),
                                     Int32(c.headCount), Int32(c.kvHeadCount), Int32(c.headDim), scale,
                                     Int32(u.head), Int32(u.head + 1), ws.attention + u.row * c.qDim, scores)
                } else {
                    ck_attention(ws.q + u.row * c.qDim, keys.assumingMemoryBound(to: Float.self),
                                 values.assumingMemoryBound(to: Float.self), c.kvDim, Int32(positions[u.row] + 1),
                                 Int32(c.headCount), Int32(c.kvHeadCount), Int32(c.headDim), scale,
                                 Int32(u.head), Int32(u.head + 1), ws.attention + u.row * c.qDim, scores)
                }
            }
        }
    }

    private func feedForwardBlock(_ layer: Layer, ws: LlamaWorkspace, m: Int, sgemm: Bool) {
        let c = config
        for r in 0..<m {
            Activations.rmsNorm(ws.x + r * c.hiddenSize, layer.ffnNorm.pointer, c.hiddenSize,
                                epsilon: c.rmsEpsilon, into: ws.xn + r * c.hiddenSize)
        }
        linear([(layer.gate, ws.gate, c.intermediateSize), (layer.up, ws.up, c.intermediateSize)],
               ws.xn, ldx: c.hiddenSize, cols: c.hiddenSize, m: m, ws: ws, sgemm: sgemm)
        Activations.siluMultiply(ws.gate, ws.up, m * c.intermediateSize)
        linear([(layer.down, ws.projection, c.hiddenSize)], ws.gate, ldx: c.intermediateSize, cols: c.intermediateSize,
               m: m, ws: ws, sgemm: sgemm)
        Activations.add(ws.x, ws.projection, m * c.hiddenSize)
    }

    private func logits(rows: [(row: Int, input: Int)], ws: LlamaWorkspace, sgemm: Bool, into results: inout [[Float]]) {
        let c = config
        guard !rows.isEmpty else { return }
        for (i, entry) in rows.enumerated() {
            Activations.rmsNorm(ws.x + entry.row * c.hiddenSize, finalNorm.pointer, c.hiddenSize,
                                epsilon: c.rmsEpsilon, into: ws.xn + i * c.hiddenSize)
        }
        let out = FloatBuffer(count: rows.count * c.vocabSize)
        linear([(output, out.pointer, c.vocabSize)], ws.xn, ldx: c.hiddenSize, cols: c.hiddenSize, m: rows.count,
               ws: ws, sgemm: sgemm)
        for (i, entry) in rows.enumerated() {
            results[entry.input].append(contentsOf: UnsafeBufferPointer(start: out.pointer + i * c.vocabSize, count: c.vocabSize))
        }
    }
}
