/// The block types the engine can quantize f32/f16/bf16 weights into, as `model(…, quantize:)`
/// and `align quantize --type` name them.
public enum QuantizationTarget: String, Sendable, CaseIterable {
    case q8_0, q4_0, q4_k

    /// Parses `q8_0`, `Q4_0`, `q4_k` (case-insensitive; `q4_k_s`/`q4_k_m` also name `q4_k`, whose
    /// tensors are all Q4_K here).
    public init?(name: String) {
        let lowered = name.lowercased()
        if lowered == "q4_k_s" || lowered == "q4_k_m" { self = .q4_k; return }
        guard let target = QuantizationTarget(rawValue: lowered) else { return nil }
        self = target
    }

    public var dtype: DType {
        switch self {
        case .q8_0: .q8_0
        case .q4_0: .q4_0
        case .q4_k: .q4_k
        }
    }

    /// The type a matrix with rows of `cols` values gets: this one, or for Q4_K rows that are not a
    /// multiple of 256, Q4_0 (same bits per weight class; llama.cpp falls back the same way to a
    /// 32-block type for such rows).
    public func dtype(forRowLength cols: Int) -> DType {
        if cols % dtype.blockSize == 0 { return dtype }
        return cols % DType.q4_0.blockSize == 0 ? .q4_0 : .f32
    }

    /// `general.file_type` (llama.cpp `llama_ftype`): MOSTLY_Q8_0 7, MOSTLY_Q4_0 2, MOSTLY_Q4_K_S 14.
    public var fileType: UInt32 {
        switch self {
        case .q8_0: 7
        case .q4_0: 2
        case .q4_k: 14
        }
    }

    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
