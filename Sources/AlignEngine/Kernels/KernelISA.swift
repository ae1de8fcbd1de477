import CKernels

/// The instruction sets the C kernels are built for. The dispatcher picks the widest the CPU
/// supports; tests pass a narrower one explicitly to compare paths (no global switch, so tests
/// running in parallel do not disturb each other).
public enum KernelISA: Int32, Sendable, CaseIterable {
    case scalar = 1, avx2 = 2, avx512 = 3

    /// Name of the set in use: "avx512", "avx2" or "scalar".
    public static var current: String { String(cString: ck_isa()) }

    public var isSupported: Bool { ck_isa_supported(rawValue) != 0 }
}
