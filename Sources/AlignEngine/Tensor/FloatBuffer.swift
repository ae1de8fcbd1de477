#if canImport(Glibc)
import Glibc
#endif

/// Owned, zero-initialised, 64-byte aligned f32 storage for activations, KV caches and scratch.
/// A class so buffers can be shared by reference between the model and its caches.
///
/// Buffers of 1 MiB or more are anonymous mappings: the kernel supplies zero pages when they are
/// first touched, so capacity that is reserved but not yet used (a KV cache grown ahead of need)
/// costs no resident memory.
public final class FloatBuffer: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    private let mappedBytes: Int

    public init(count: Int) {
        self.count = max(count, 0)
        let bytes = max(self.count, 16) * 4
        if bytes >= 1 << 20, let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
           p != MAP_FAILED {
            pointer = p.bindMemory(to: Float.self, capacity: bytes / 4)
            mappedBytes = bytes
        } else {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            pointer = raw.bindMemory(to: Float.self, capacity: bytes / 4)
            pointer.initialize(repeating: 0, count: bytes / 4)
            mappedBytes = 0
        }
    }

    deinit {
        if mappedBytes > 0 { munmap(pointer, mappedBytes) } else { pointer.deallocate() }
    }

    public subscript(i: Int) -> Float {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
