/// One tensor entry of a GGUF header, before it is resolved against the data section.
struct GGUFTensorInfo {
    let name: String
    /// Dimensions as stored: innermost first (ggml `ne`).
    let dims: [Int]
    let dtype: DType
    /// Offset relative to the start of the data section.
    let offset: Int
    let byteCount: Int

    /// Resolves the entry to bytes inside the mapping, checking alignment and bounds.
    func stored(in file: MappedFile, dataOffset: Int, alignment: Int) throws(EngineError) -> StoredTensor {
        guard offset % alignment == 0 else {
            throw .file(file.path, "tensor '\(name)' offset \(offset) is not a multiple of the alignment \(alignment)")
        }
        let (start, overflow) = dataOffset.addingReportingOverflow(offset)
        guard !overflow else { throw .file(file.path, "tensor '\(name)' offset overflows") }
        let bytes = try file.bytes(at: start, count: byteCount, what: "tensor '\(name)'")
        return StoredTensor(name: name, dtype: dtype, shape: dims.reversed(), bytes: bytes, owner: file)
    }
}

/// ggml type ids (`enum ggml_type` in ggml.h) to the engine's dtypes.
enum GGMLType {
    static func dtype(_ id: UInt32) -> DType? {
        switch id {
        case 0: .f32
        case 1: .f16
        case 2: .q4_0
        case 3: .q4_1
        case 6: .q5_0
        case 7: .q5_1
        case 8: .q8_0
        case 12: .q4_k
        case 13: .q5_k
        case 14: .q6_k
        case 30: .bf16
        default: nil
        }
    }

    /// Names of the ggml types the engine does not read, for error messages.
    static func name(_ id: UInt32) -> String {
        let names: [UInt32: String] = [
            9: "Q8_1", 10: "Q2_K", 11: "Q3_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS", 18: "IQ3_XXS",
            19: "IQ1_S", 20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16",
            26: "I32", 27: "I64", 28: "F64", 29: "IQ1_M", 34: "TQ1_0", 35: "TQ2_0",
        ]
        return names[id] ?? "unknown type \(id)"
    }

    static func id(_ dtype: DType) -> UInt32 {
        switch dtype {
        case .f32: 0
        case .f16: 1
        case .q4_0: 2
        case .q4_1: 3
        case .q5_0: 6
        case .q5_1: 7
        case .q8_0: 8
        case .q4_k: 12
        case .q5_k: 13
        case .q6_k: 14
        case .bf16: 30
        }
    }
}

extension GGUFReader {
    mutating func tensorInfo(index: Int) throws(EngineError) -> GGUFTensorInfo {
        let path = file.path
        let name = try string("name of tensor \(index)")
        let nDims = try u32("dimension count of '\(name)'")
        guard nDims >= 1, nDims <= UInt32(GGUFFile.maxDims) else {
            throw .file(path, "tensor '\(name)' has \(nDims) dimensions (1...\(GGUFFile.maxDims) allowed)")
        }
        var dims: [Int] = []
        var elements = 1
        for d in 0..<Int(nDims) {
            let raw = try u64("dimension \(d) of '\(name)'")
            guard raw >= 1, raw <= UInt64(Int32.max) else {
                throw .file(path, "tensor '\(name)' dimension \(d) is \(raw)")
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: Int(raw))
            guard !overflow else { throw .file(path, "tensor '\(name)' element count overflows") }
            elements = product
            dims.append(Int(raw))
        }
        let typeID = try u32("type of '\(name)'")
        guard let dtype = GGMLType.dtype(typeID) else {
            throw .unsupported("\(path): tensor '\(name)' has ggml type \(GGMLType.name(typeID)), which the engine cannot read")
        }
        guard dims[0] % dtype.blockSize == 0 else {
            throw .file(path, "tensor '\(name)' row length \(dims[0]) is not a multiple of the \(dtype) block size \(dtype.blockSize)")
        }
        let (byteCount, overflow) = (elements / dtype.blockSize).multipliedReportingOverflow(by: dtype.blockBytes)
        guard !overflow else { throw .file(path, "tensor '\(name)' byte size overflows") }
        let rawOffset = try u64("offset of '\(name)'")
        guard rawOffset <= UInt64(Int.max) else { throw .file(path, "tensor '\(name)' offset \(rawOffset) is too large") }
        return GGUFTensorInfo(name: name, dims: dims, dtype: dtype, offset: Int(rawOffset), byteCount: byteCount)
    }
}
