
/// A base checkpoint with an adapter merged in: the touched matrices are owned f32 copies
/// (W + scaling·B·A); every other tensor is still the base's mapping.
public final class MergedTensorStore: TensorStore {
    public let location: String
    public let tensors: [String: StoredTensor]
    public let metadata: [String: MetadataValue]
    public let base: TensorStore
    /// Base tensor names the adapter changed.
    public let mergedNames: [String]

    init(location: String, tensors: [String: StoredTensor], base: TensorStore, mergedNames: [String]) {
        self.location = location
        self.tensors = tensors
        self.metadata = base.metadata
        self.base = base
        self.mergedNames = mergedNames
    }
}

extension LoRAAdapter {
    /// Merges this adapter into `base` (HF tensor names, f32/f16/bf16 weights).
    public func merged(into base: TensorStore) throws(EngineError) -> MergedTensorStore {
        let (lora, replaced) = try pairs()
        guard !lora.isEmpty || !replaced.isEmpty else { throw .file(weights.location, "adapter holds no LoRA weights") }
        var tensors = base.tensors
        for (module, pair) in lora.sorted(by: { $0.key < $1.key }) {
            let name = module + ".weight"
            guard let weight = base.tensors[name] else {
                throw .file(base.location, "adapter \(folder) changes '\(name)', which the base model does not have"
                    + " (LoRA merges need a base with Hugging Face tensor names)")
            }
            tensors[name] = try merge(weight, pair.a, pair.b, module: module)
        }
        for (name, tensor) in replaced {
            guard let old = base.tensors[name], old.shape == tensor.shape else {
                throw .file(weights.location, "tensor '\(name)' does not replace a base tensor of the same shape")
            }
            tensors[name] = tensor
        }
        return MergedTensorStore(location: "\(base.location) + \(folder)", tensors: tensors, base: base,
                                 mergedNames: (lora.keys.map { $0 + ".weight" } + replaced.keys).sorted())
    }

    /// W + scaling · B·A, in f32; with `fan_in_fan_out` W is stored `[in, out]` and ΔW is transposed.
    private func merge(_ weight: StoredTensor, _ a: StoredTensor, _ b: StoredTensor, module: String) throws(EngineError) -> StoredTensor {
        guard weight.shape.count == 2, a.shape.count == 2, b.shape.count == 2 else {
            throw .file(weights.location, "module '\(module)': LoRA and base weights must be matrices")
        }
        let (out, inputs) = fanInFanOut ? (weight.shape[1], weight.shape[0]) : (weight.shape[0], weight.shape[1])
        let r = a.shape[0]
        guard r > 0, a.shape[1] == inputs, b.shape == [out, r] else {
            throw .file(weights.location, "module '\(module)': lora_A \(a.shape) and lora_B \(b.shape) do not fit base \(weight.shape)")
        }
        let owned = OwnedFloats(try weight.decodedFloats())
        let av = try a.decodedFloats()
        let bv = try b.decodedFloats()
        let scale = Float(scaling(module: module, rank: r))
        let c = owned.pointer
        if fanInFanOut {
            // C[in, out] += scale · (B·A)ᵀ = scale · Aᵀ·Bᵀ
            BLAS.sgemm(.transposed, .transposed, m: inputs, n: out, k: r, alpha: scale, av, lda: inputs, bv, ldb: r,
                       beta: 1, c, ldc: out)
        } else {
            BLAS.sgemm(.none, .none, m: out, n: inputs, k: r, alpha: scale, bv, lda: r, av, ldb: inputs, beta: 1, c,
                       ldc: inputs)
        }
        return owned.tensor(name: weight.name, shape: weight.shape)
    }
}
