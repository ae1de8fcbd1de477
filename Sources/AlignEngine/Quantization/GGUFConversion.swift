import Foundation

/// A GGUF file to write: metadata, tensor layout and where each tensor's bytes come from. The
/// bytes are produced one tensor at a time while writing (`align quantize` never holds a model).
public struct GGUFConversion {
    /// How one tensor's bytes are made.
    enum Content {
        /// Stored bytes copied as they are.
        case copy(StoredTensor)
        /// Rows produced as f32 (decoded, permuted or generated) and quantized to the plan's type.
        case rows(count: Int, cols: Int, row: @Sendable (Int, UnsafeMutablePointer<Float>) -> Void)
    }

    public private(set) var writer = GGUFWriter()
    var contents: [Content] = []
    /// The stores whose mapped bytes `contents` reads: held so the mappings outlive the plan's
    /// callers (a released store unmaps its file while rows are still to be read).
    var sources: [any TensorStore] = []

    /// Tensors in file order with their types, for reports.
    public var tensors: [GGUFTensorPlan] { writer.tensors }

    mutating func set(_ key: String, _ value: GGUFValue) { writer.set(key, value) }

    mutating func add(_ plan: GGUFTensorPlan, _ content: Content) {
        writer.tensors.append(plan)
        contents.append(content)
    }

    /// Adds `tensor` as `target` when it is a matrix the quantizer takes (plain floats, or any
    /// type with `requantize`), as F32 when it is a 1-D float vector, and copied otherwise.
    mutating func add(_ tensor: StoredTensor, name: String, target: QuantizationTarget, requantize: Bool,
                      permuteHeads: Int? = nil) throws(EngineError) {
        let plainFloat = [DType.f32, .f16, .bf16].contains(tensor.dtype)
        guard tensor.bytes.count >= BlockQuantizer.byteCount(tensor.dtype, values: tensor.elementCount) else {
            throw .invalidArgument("tensor '\(tensor.name)' holds \(tensor.bytes.count) bytes, too few for shape \(tensor.shape)")
        }
        let cols = tensor.shape.last ?? 1
        let rows = tensor.elementCount / max(cols, 1)
        let dtype: DType
        if tensor.shape.count == 2 && (plainFloat || requantize) {
            dtype = target.dtype(forRowLength: cols)
        } else if tensor.shape.count == 2 {
            throw .unsupported("tensor '\(tensor.name)' is already \(tensor.dtype.rawValue.uppercased()); "
                + "pass --allow-requantize to quantize it again to \(target.rawValue)")
        } else {
            dtype = plainFloat ? .f32 : tensor.dtype
        }
        if dtype == tensor.dtype && permuteHeads == nil {
            add(GGUFTensorPlan(name: name, shape: tensor.shape, dtype: dtype), .copy(tensor))
            return
        }
        var row = MatrixQuantizer.storedRow(tensor, cols: cols)
        if let heads = permuteHeads {
            guard heads > 0, rows % (2 * heads) == 0 else {
                throw .invalidArgument("tensor '\(tensor.name)' has \(rows) rows, not a whole number of \(heads) rotary heads")
            }
            row = Self.interleavingRotaryHalves(row, rows: rows, heads: heads)
        }
        add(GGUFTensorPlan(name: name, shape: tensor.shape, dtype: dtype), .rows(count: rows, cols: cols, row: row))
    }

    /// Reorders the rows of a Q or K projection so each head's rotary pairs (i, i + d/2), as
    /// transformers rotates them, become (2i, 2i + 1), as llama.cpp's `llama` graph rotates them.
    /// Matches: llama.cpp `convert_hf_to_gguf.py` `LlamaModel.permute`.
    static func interleavingRotaryHalves(_ source: @escaping @Sendable (Int, UnsafeMutablePointer<Float>) -> Void,
                                         rows: Int, heads: Int) -> @Sendable (Int, UnsafeMutablePointer<Float>) -> Void {
        let headDim = rows / heads
        return { r, out in
            let head = r / headDim, within = r % headDim
            source(head * headDim + (within % 2) * (headDim / 2) + within / 2, out)
        }
    }

    /// Writes the file atomically, reporting each tensor on `progress`.
    public func write(to path: String, progress: (String) -> Void) throws(EngineError) {
        let total = contents.count
        try writer.write(to: path) { (i: Int, buffer: UnsafeMutableRawBufferPointer) throws(EngineError) in
            let plan = writer.tensors[i]
            progress("[\(i + 1)/\(total)] \(plan.name) \(plan.shape) \(plan.dtype.rawValue)")
            guard let base = buffer.baseAddress else { return }
            switch contents[i] {
            case .copy(let tensor):
                guard let from = tensor.bytes.baseAddress else { return }
                base.copyMemory(from: from, byteCount: buffer.count)
            case .rows(let count, let cols, let row):
                MatrixQuantizer.quantize(rows: count, cols: cols, as: plan.dtype, into: base, row: row)
            }
        }
    }
}
