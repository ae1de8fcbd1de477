import CKernels

/// Quantizes whole matrices, rows spread over the CPUs (each row is independent, so the bytes do
/// not depend on the thread count).
public enum MatrixQuantizer {
    /// Writes `rows` rows of `cols` values as `dtype` into `destination`; `row(r, buffer)` puts row
    /// `r` as f32 into `buffer` (`cols` floats).
    public static func quantize(rows: Int, cols: Int, as dtype: DType, into destination: UnsafeMutableRawPointer,
                                row: @escaping @Sendable (Int, UnsafeMutablePointer<Float>) -> Void) {
        let rowBytes = BlockQuantizer.byteCount(dtype, values: cols)
        let out = UncheckedPointer(destination)
        // The engine's persistent pool, not `concurrentPerform`: under many concurrent callers
        // swift-corelibs-libdispatch ran an apply block after its caller had returned (seen as a
        // SIGSEGV in the test suite).
        WorkerPool.shared.parallelFor(rows, scratchPerPart: cols) { _, range, buffer in
            for r in range {
                row(r, buffer)
                BlockQuantizer.quantize(buffer, count: cols, as: dtype, into: out.pointer + r * rowBytes)
            }
        }
    }

    /// Row `r` of a stored tensor (any type the engine reads) widened to f32. Callers check that
    /// the tensor holds all its bytes.
    static func storedRow(_ tensor: StoredTensor, cols: Int) -> @Sendable (Int, UnsafeMutablePointer<Float>) -> Void {
        let rowBytes = BlockQuantizer.byteCount(tensor.dtype, values: cols)
        guard let start = tensor.bytes.baseAddress else { return { _, out in out.update(repeating: 0, count: cols) } }
        let base = UncheckedPointer(UnsafeMutableRawPointer(mutating: start))
        let code = tensor.dtype.kernelCode
        return { r, out in ck_dequantize_row(code, base.pointer + r * rowBytes, out, Int32(cols)) }
    }
}

/// A raw pointer handed to concurrent workers that write disjoint ranges.
struct UncheckedPointer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
}

/// Owned bytes that quantized tensors point into (kept alive by `StoredTensor.owner`).
public final class OwnedBytes: @unchecked Sendable {
    public let pointer: UnsafeMutableRawPointer
    public let count: Int

    public init(count: Int) {
        self.count = count
        pointer = .allocate(byteCount: max(count, 1), alignment: 64)
    }

    deinit { pointer.deallocate() }

    public var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: pointer, count: count) }
}
