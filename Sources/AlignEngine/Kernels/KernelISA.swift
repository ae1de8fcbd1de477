import CKernels

/// The instruction set the C kernels run with. Chosen once from the CPU; tests and benchmarks may
/// force a narrower one to compare paths.
public enum KernelISA: Int32, Sendable, CaseIterable {
    case scalar = 1, avx2 = 2, avx512 = 3

    /// Name of the set in use: "avx512", "avx2" or "scalar".
    public static var current: String { String(cString: ck_isa()) }

    /// Switches to `isa` (nil: the best available). Returns false if the CPU cannot run it.
    /// Not thread-safe: call while no kernel runs.
    @discardableResult
    public static func force(_ isa: KernelISA?) -> Bool { ck_force_isa(isa?.rawValue ?? 0) != 0 }
}
