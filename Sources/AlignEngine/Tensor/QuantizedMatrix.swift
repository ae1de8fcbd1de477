import CKernels

/// A 2-D weight (`[rows, cols]`, rows contiguous) read in place from a checkpoint in its stored
/// type. Linear layers keep their weights like this: quantized in memory, dequantized in registers.
public struct QuantizedMatrix: @unchecked Sendable {
    public let name: String
    public let dtype: DType
    public let rows: Int
    public let cols: Int
    public let rowBytes: Int
    public let base: UnsafeRawPointer
    /// Keeps the mapping (or owned storage) alive.
    public let owner: AnyObject?

    /// Views a stored tensor as a matrix; a 1-D tensor is a single row.
    public init(_ tensor: StoredTensor) throws(EngineError) {
        let shape = tensor.shape
        guard shape.count == 1 || shape.count == 2, let cols = shape.last, cols > 0 else {
            throw .invalidArgument("tensor '\(tensor.name)' has shape \(shape), expected a matrix")
        }
        let rows = shape.count == 2 ? shape[0] : 1
        guard cols % tensor.dtype.blockSize == 0 else {
            throw .invalidArgument("tensor '\(tensor.name)' row length \(cols) is not a multiple of the \(tensor.dtype) block size")
        }
        let rowBytes = cols / tensor.dtype.blockSize * tensor.dtype.blockBytes
        let (needed, overflow) = rows.multipliedReportingOverflow(by: rowBytes)
        guard let base = tensor.bytes.baseAddress, rows > 0, !overflow, tensor.bytes.count >= needed else {
            throw .invalidArgument("tensor '\(tensor.name)' holds \(tensor.bytes.count) bytes, too few for shape \(shape)")
        }
        self.name = tensor.name
        self.dtype = tensor.dtype
        self.rows = rows
        self.cols = cols
        self.rowBytes = rowBytes
        self.base = base
        self.owner = tensor.owner
    }

    /// Fails unless the matrix has the shape the model expects.
    public func expect(rows: Int, cols: Int, in location: String) throws(EngineError) {
        guard self.rows == rows, self.cols == cols else {
            throw .file(location, "tensor '\(name)' has shape [\(self.rows), \(self.cols)], expected [\(rows), \(cols)]")
        }
    }

    /// Row `r` as f32 (embedding lookups).
    public func dequantizeRow(_ r: Int, into out: UnsafeMutablePointer<Float>) {
        ck_dequantize_row(dtype.kernelCode, base + r * rowBytes, out, Int32(cols))
    }
}

extension DType {
    /// The type code the C kernels take (`CK_*` in ckernels.h).
    var kernelCode: Int32 {
        switch self {
        case .f32: Int32(CK_F32)
        case .f16: Int32(CK_F16)
        case .bf16: Int32(CK_BF16)
        case .q8_0: Int32(CK_Q8_0)
        case .q4_0: Int32(CK_Q4_0)
        case .q4_1: Int32(CK_Q4_1)
        case .q5_0: Int32(CK_Q5_0)
        case .q5_1: Int32(CK_Q5_1)
        case .q4_k: Int32(CK_Q4_K)
        case .q5_k: Int32(CK_Q5_K)
        case .q6_k: Int32(CK_Q6_K)
        }
    }
}
