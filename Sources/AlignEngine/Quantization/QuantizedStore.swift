/// A checkpoint whose weight matrices were quantized at load (`model(path, quantize: "q8_0")`):
/// 2-D f32/f16/bf16 tensors become `target` blocks in owned memory, everything else (norms,
/// biases, already-quantized tensors) is passed through from the source unchanged.
public final class QuantizedStore: TensorStore {
    public let location: String
    public let tensors: [String: StoredTensor]
    public let metadata: [String: MetadataValue]
    /// Keeps the source mapping alive for the tensors passed through.
    let source: TensorStore

    public init(_ source: TensorStore, target: QuantizationTarget) {
        var out: [String: StoredTensor] = [:]
        for (name, tensor) in source.tensors {
            out[name] = Self.quantized(tensor, target: target) ?? tensor
        }
        self.location = source.location
        self.tensors = out
        self.metadata = source.metadata
        self.source = source
    }

    /// Whether `tensor` is a plain-float matrix the quantizer takes.
    static func isQuantizable(_ tensor: StoredTensor) -> Bool {
        tensor.shape.count == 2 && [.f32, .f16, .bf16].contains(tensor.dtype)
            && tensor.bytes.count >= BlockQuantizer.byteCount(tensor.dtype, values: tensor.elementCount)
    }

    static func quantized(_ tensor: StoredTensor, target: QuantizationTarget) -> StoredTensor? {
        guard isQuantizable(tensor) else { return nil }
        let rows = tensor.shape[0], cols = tensor.shape[1]
        let dtype = target.dtype(forRowLength: cols)
        guard dtype != .f32 || tensor.dtype != .f32 else { return nil }
        let owned = OwnedBytes(count: BlockQuantizer.byteCount(dtype, values: rows * cols))
        MatrixQuantizer.quantize(rows: rows, cols: cols, as: dtype, into: owned.pointer,
                                 row: MatrixQuantizer.storedRow(tensor, cols: cols))
        return StoredTensor(name: tensor.name, dtype: dtype, shape: tensor.shape, bytes: owned.buffer, owner: owned)
    }
}
