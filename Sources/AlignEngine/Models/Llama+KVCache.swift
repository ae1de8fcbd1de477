import CKernels

/// Keys and values of every layer for the positions a sequence has seen, `[position, kvDim]` per
/// layer, in f32 or f16. Grows on demand up to the model's context length; capacity reserved
/// ahead of use is not resident until written (see `FloatBuffer`).
public final class LlamaKVCache: @unchecked Sendable {
    public let layerCount: Int
    public let kvDim: Int
    /// Elements stored as f16 rather than f32.
    public let halfPrecision: Bool
    /// Positions stored so far.
    public internal(set) var length = 0
    public private(set) var capacity = 0
    private var keyBuffers: [FloatBuffer] = []
    private var valueBuffers: [FloatBuffer] = []

    init(config: LlamaConfig, halfPrecision: Bool) {
        layerCount = config.layerCount
        kvDim = config.kvDim
        self.halfPrecision = halfPrecision
    }

    /// Forgets positions from `length` on (e.g. to reuse a shared prompt prefix).
    public func truncate(to length: Int) { self.length = max(0, min(length, self.length)) }

    private var elementBytes: Int { halfPrecision ? 2 : 4 }

    /// Floats of backing store for `positions` positions of one layer.
    private func storeFloats(_ positions: Int) -> Int { (positions * kvDim * elementBytes + 3) / 4 }

    func reserve(_ positions: Int) {
        guard positions > capacity else { return }
        let newCapacity = max(positions, capacity * 2, 64)
        if keyBuffers.isEmpty {
            keyBuffers = (0..<layerCount).map { _ in FloatBuffer(count: storeFloats(newCapacity)) }
            valueBuffers = (0..<layerCount).map { _ in FloatBuffer(count: storeFloats(newCapacity)) }
        } else {
            // One buffer at a time, so growing holds at most one layer's old copy.
            for layer in 0..<layerCount {
                keyBuffers[layer] = grow(keyBuffers[layer], to: newCapacity)
                valueBuffers[layer] = grow(valueBuffers[layer], to: newCapacity)
            }
        }
        capacity = newCapacity
    }

    private func grow(_ old: FloatBuffer, to positions: Int) -> FloatBuffer {
        let buffer = FloatBuffer(count: storeFloats(positions))
        UnsafeMutableRawPointer(buffer.pointer).copyMemory(from: old.pointer, byteCount: length * kvDim * elementBytes)
        return buffer
    }

    func store(layer: Int, position: Int, key: UnsafePointer<Float>, value: UnsafePointer<Float>) {
        let offset = position * kvDim * elementBytes
        let k = UnsafeMutableRawPointer(keyBuffers[layer].pointer) + offset
        let v = UnsafeMutableRawPointer(valueBuffers[layer].pointer) + offset
        if halfPrecision {
            ck_f32_to_f16_row(key, k.assumingMemoryBound(to: UInt16.self), Int32(kvDim))
            ck_f32_to_f16_row(value, v.assumingMemoryBound(to: UInt16.self), Int32(kvDim))
        } else {
            k.copyMemory(from: key, byteCount: kvDim * 4)
            v.copyMemory(from: value, byteCount: kvDim * 4)
        }
    }

    func keys(layer: Int) -> UnsafeRawPointer { UnsafeRawPointer(keyBuffers[layer].pointer) }
    func values(layer: Int) -> UnsafeRawPointer { UnsafeRawPointer(valueBuffers[layer].pointer) }
}
