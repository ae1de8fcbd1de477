/// The neutral view every checkpoint format produces (GGUF, safetensors, PyTorch `.bin`):
/// named tensors whose bytes stay in the memory-mapped file, plus format metadata.
/// Model code (`Models/`) reads weights only through this.

/// Element or block types of stored tensors. Block layouts match ggml (`ggml-common.h`).
public enum DType: String, Sendable, CaseIterable {
    case f32, f16, bf16
    case q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q5_k, q6_k

    /// Elements per block (1 for plain floats).
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: 1
        case .q8_0, .q4_0, .q4_1, .q5_0, .q5_1: 32
        case .q4_k, .q5_k, .q6_k: 256
        }
    }

    /// Bytes per block.
    public var blockBytes: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .q8_0: 34
        case .q4_0: 18
        case .q4_1: 20
        case .q5_0: 22
        case .q5_1: 24
        case .q4_k: 144
        case .q5_k: 176
        case .q6_k: 210
        }
    }
}

/// One stored tensor. `shape` is in PyTorch order (outermost first: a linear weight is
/// `[out, in]`); rows are contiguous along the last dimension.
public struct StoredTensor: @unchecked Sendable {
    public let name: String
    public let dtype: DType
    public let shape: [Int]
    /// The tensor's bytes inside the mapping of `file`.
    public let bytes: UnsafeRawBufferPointer
    /// Keeps the mapping alive (nil for tensors owned elsewhere, e.g. merged LoRA weights).
    public let owner: AnyObject?

    public init(name: String, dtype: DType, shape: [Int], bytes: UnsafeRawBufferPointer, owner: AnyObject?) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
        self.owner = owner
    }

    public var elementCount: Int { shape.reduce(1, *) }
}

/// Metadata values (GGUF key/values; JSON configs map onto the same cases).
public indirect enum MetadataValue: Sendable, Equatable {
    case int(Int64)
    case uint(UInt64)
    case float(Double)
    case bool(Bool)
    case string(String)
    case array([MetadataValue])

    public var intValue: Int? {
        switch self {
        case .int(let v): Int(exactly: v)
        case .uint(let v): Int(exactly: v)
        case .float(let d): d.rounded() == d && abs(d) < 9e15 ? Int(d) : nil
        case .bool(let b): b ? 1 : 0
        default: nil
        }
    }
    public var doubleValue: Double? {
        switch self {
        case .int(let v): Double(v)
        case .uint(let v): Double(v)
        case .float(let d): d
        default: nil
        }
    }
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var arrayValue: [MetadataValue]? { if case .array(let a) = self { a } else { nil } }
}

/// A checkpoint opened for reading: tensors by name and format metadata.
public protocol TensorStore: AnyObject {
    /// Where the weights came from (file or folder), for messages and manifests.
    var location: String { get }
    var tensors: [String: StoredTensor] { get }
    var metadata: [String: MetadataValue] { get }
}
