/// Widening plain-float stored tensors to f32, for the load-time paths that need owned f32
/// values (LoRA merges, encoder weights stored in f16/bf16). Hot loops never call this.
extension StoredTensor {
    /// All elements as f32, in storage order. Quantized tensors are refused.
    public func decodedFloats() throws(EngineError) -> [Float] {
        let n = elementCount
        switch dtype {
        case .f32:
            guard bytes.count >= n * 4 else { throw short() }
            return (0..<n).map { bytes.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        case .f16:
            guard bytes.count >= n * 2 else { throw short() }
            return (0..<n).map { Float(bytes.loadUnaligned(fromByteOffset: $0 * 2, as: Float16.self)) }
        case .bf16:
            guard bytes.count >= n * 2 else { throw short() }
            return (0..<n).map {
                Float(bitPattern: UInt32(bytes.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self).littleEndian) << 16)
            }
        default:
            throw .unsupported("tensor '\(name)' is \(dtype.rawValue); only f32, f16 and bf16 tensors can be widened here")
        }
    }

    private func short() -> EngineError {
        .invalidArgument("tensor '\(name)' holds \(bytes.count) bytes, too few for shape \(shape) of \(dtype.rawValue)")
    }
}

/// Owned f32 storage that `StoredTensor.owner` keeps alive for tensors computed at load time.
public final class OwnedFloats: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    public init(_ source: [Float]) {
        count = source.count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        source.withUnsafeBufferPointer { if let base = $0.baseAddress { pointer.update(from: base, count: count) } }
    }

    deinit { pointer.deallocate() }

    /// A stored tensor over these values.
    public func tensor(name: String, shape: [Int]) -> StoredTensor {
        StoredTensor(name: name, dtype: .f32, shape: shape,
                     bytes: UnsafeRawBufferPointer(start: pointer, count: min(count, shape.reduce(1, *)) * 4), owner: self)
    }
}
