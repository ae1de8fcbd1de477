/// A BERT weight as f32 values: in place in the mapping when the checkpoint stores aligned f32
/// (MiniLM), otherwise widened once at load (f16/bf16 checkpoints).
struct BertTensor: @unchecked Sendable {
    let values: UnsafePointer<Float>
    let shape: [Int]
    /// Keeps the mapping or the widened copy alive.
    let owner: AnyObject?

    init(values: UnsafePointer<Float>, shape: [Int], owner: AnyObject?) {
        self.values = values
        self.shape = shape
        self.owner = owner
    }

    init(_ tensor: StoredTensor) throws(EngineError) {
        if tensor.dtype == .f32, let base = tensor.bytes.baseAddress,
           Int(bitPattern: base) % MemoryLayout<Float>.alignment == 0, tensor.bytes.count >= tensor.elementCount * 4 {
            values = base.assumingMemoryBound(to: Float.self)
            owner = tensor.owner
        } else {
            let owned = OwnedFloats(try tensor.decodedFloats())
            values = UnsafePointer(owned.pointer)
            owner = owned
        }
        shape = tensor.shape
    }
}

/// A dense layer `y = x·Wᵀ + b` with W stored `[out, in]` (PyTorch `nn.Linear`).
struct BertLinear {
    let weight: BertTensor
    let bias: BertTensor
    var outputs: Int { weight.shape[0] }
    var inputs: Int { weight.shape[1] }
}

extension BertLinear {
    /// The layers' weights and biases stacked along the outputs, so one product computes all
    /// of them (query, key and value from the same input).
    init(stacking layers: [BertLinear]) {
        let inputs = layers.first?.inputs ?? 0
        var weight: [Float] = []
        var bias: [Float] = []
        for layer in layers {
            weight += UnsafeBufferPointer(start: layer.weight.values, count: layer.outputs * inputs)
            bias += UnsafeBufferPointer(start: layer.bias.values, count: layer.outputs)
        }
        let outputs = bias.count
        let ownedWeight = OwnedFloats(weight), ownedBias = OwnedFloats(bias)
        self.init(weight: BertTensor(values: UnsafePointer(ownedWeight.pointer), shape: [outputs, inputs], owner: ownedWeight),
                  bias: BertTensor(values: UnsafePointer(ownedBias.pointer), shape: [outputs], owner: ownedBias))
    }
}

struct BertLayerNorm {
    let weight: BertTensor
    let bias: BertTensor
}

struct BertLayer {
    /// Query, key and value stacked: `[3·hidden, hidden]`.
    let queryKeyValue: BertPackedLinear
    let attentionOutput: BertPackedLinear
    let attentionNorm: BertLayerNorm
    let intermediate, output: BertPackedLinear
    let outputNorm: BertLayerNorm
}

/// Reads BERT tensors by their transformers names, with or without the `bert.` prefix that
/// task heads add, and with the old `gamma`/`beta` LayerNorm names of early checkpoints.
struct BertWeightReader {
    let store: TensorStore
    let prefix: String

    init(store: TensorStore) {
        self.store = store
        prefix = store.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
    }

    func tensor(_ name: String, _ shape: [Int], prefixed: Bool = true) throws(EngineError) -> BertTensor {
        let full = (prefixed ? prefix : "") + name
        guard let stored = store.tensors[full] else {
            if let dtype = CheckpointFiles.skipped(in: store)[full] {
                throw .unsupported("\(store.location): tensor '\(full)' is stored as \(dtype)")
            }
            throw .file(store.location, "missing tensor '\(full)'")
        }
        guard stored.shape == shape else {
            throw .file(store.location, "tensor '\(full)' has shape \(stored.shape), expected \(shape)")
        }
        return try BertTensor(stored)
    }

    func linear(_ name: String, out: Int, in inputs: Int, prefixed: Bool = true) throws(EngineError) -> BertLinear {
        BertLinear(weight: try tensor(name + ".weight", [out, inputs], prefixed: prefixed),
                   bias: try tensor(name + ".bias", [out], prefixed: prefixed))
    }

    func layerNorm(_ name: String, size: Int) throws(EngineError) -> BertLayerNorm {
        if store.tensors[prefix + name + ".gamma"] != nil {
            return BertLayerNorm(weight: try tensor(name + ".gamma", [size]), bias: try tensor(name + ".beta", [size]))
        }
        return BertLayerNorm(weight: try tensor(name + ".weight", [size]), bias: try tensor(name + ".bias", [size]))
    }

    func layer(_ i: Int, _ c: BertConfig) throws(EngineError) -> BertLayer {
        let p = "encoder.layer.\(i)."
        let h = c.hiddenSize
        return BertLayer(
            queryKeyValue: BertPackedLinear(BertLinear(stacking: [try linear(p + "attention.self.query", out: h, in: h),
                                                                  try linear(p + "attention.self.key", out: h, in: h),
                                                                  try linear(p + "attention.self.value", out: h, in: h)])),
            attentionOutput: BertPackedLinear(try linear(p + "attention.output.dense", out: h, in: h)),
            attentionNorm: try layerNorm(p + "attention.output.LayerNorm", size: h),
            intermediate: BertPackedLinear(try linear(p + "intermediate.dense", out: c.intermediateSize, in: h)),
            output: BertPackedLinear(try linear(p + "output.dense", out: h, in: c.intermediateSize)),
            outputNorm: try layerNorm(p + "output.LayerNorm", size: h))
    }
}
