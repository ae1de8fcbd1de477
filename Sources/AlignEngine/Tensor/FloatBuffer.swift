/// Owned, zero-initialised, 64-byte aligned f32 storage for activations, KV caches and scratch.
/// A class so buffers can be shared by reference between the model and its caches.
public final class FloatBuffer: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    public init(count: Int) {
        self.count = max(count, 0)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(self.count, 16) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(self.count, 16))
        pointer.initialize(repeating: 0, count: max(self.count, 16))
    }

    deinit { pointer.deallocate() }

    public subscript(i: Int) -> Float {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
