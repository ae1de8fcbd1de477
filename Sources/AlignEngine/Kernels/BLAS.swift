import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Single-precision GEMM from OpenBLAS, loaded with `dlopen` the first time a product needs it.
///
/// Why not link it: only the f32 paths use it (encoder heads, seq2seq attention, LoRA merging,
/// `.exact` LLaMA prefill), yet a linked OpenBLAS — with its Fortran runtime and its thread pool —
/// costs every align process about 2 MiB resident and its start-up time, the int8 LLaMA path
/// included. Should the library be missing, products fall back to `ck_sgemm_reference` (correct,
/// slow) after one warning naming the package to install.
///
/// Matches: the CBLAS interface of `cblas.h` (reference BLAS / OpenBLAS): row- or column-major
/// order and transpose flags are the enum values 101/102 and 111/112, dimensions are 32-bit ints in
/// the LP64 builds Debian ships as `libopenblas0-pthread`.
public enum BLAS {
    public enum Transpose: Int32, Sendable {
        case none = 111
        case transposed = 112
    }

    private static let rowMajor: Int32 = 101
    private typealias GEMM = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
                                             UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32) -> Void
    private typealias SetThreads = @convention(c) (Int32) -> Void

    private struct Library: @unchecked Sendable {
        let sgemm: GEMM
        let setThreads: SetThreads?
    }

    /// The shared objects tried in order: OpenBLAS by its soname, then the `libblas.so.3` that
    /// Debian's alternatives point at an optimised BLAS.
    static let candidates = ["libopenblas.so.0", "libopenblas.so", "libblas.so.3"]

    private static let library: Library? = {
        for name in candidates {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL), let gemm = dlsym(handle, "cblas_sgemm") else { continue }
            let threads = dlsym(handle, "openblas_set_num_threads").map { unsafeBitCast($0, to: SetThreads.self) }
            return Library(sgemm: unsafeBitCast(gemm, to: GEMM.self), setThreads: threads)
        }
        let warning = "align: warning: OpenBLAS (\(candidates[0])) could not be loaded; f32 matrix products use a slow "
            + "reference loop (install it with: apt-get install libopenblas0)\n"
        _ = warning.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        return nil
    }()

    /// Whether OpenBLAS was found (loading it on the first call).
    public static var isLoaded: Bool { library != nil }

    /// `C = alpha·op(A)·op(B) + beta·C` on row-major matrices: op(A) is m×k, op(B) k×n, C m×n.
    public static func sgemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
                             _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, beta: Float,
                             _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        if let library {
            library.sgemm(rowMajor, transA.rawValue, transB.rawValue, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda),
                          b, Int32(ldb), beta, c, Int32(ldc))
        } else {
            ck_sgemm_reference(transA == .transposed ? 1 : 0, transB == .transposed ? 1 : 0, Int32(m), Int32(n), Int32(k),
                               alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
    }

    /// Sets OpenBLAS's own thread count (it reads `OPENBLAS_NUM_THREADS` when loaded).
    public static func setThreads(_ n: Int) {
        library?.setThreads?(Int32(max(n, 1)))
    }

    /// OpenBLAS runs single-threaded in this process once a LLaMA prefill has used it from the
    /// pool: the pool splits the work, and a process-wide setting changed and restored around each
    /// call would race between models used on different threads (one model's sgemm could run
    /// multi-threaded, with another split and other rounding, while a second model restored it).
    static func useOneThread() { oneThread }
    private static let oneThread: Void = { setThreads(1) }()
}
