/// Random-weight LLaMA models of real shapes, written straight into GGUF by the quantizer, to
/// measure speed and memory at scale (7B) without downloading a checkpoint. Rows are generated
/// on demand, so memory stays at one tensor's quantized bytes.
extension GGUFConversion {
    /// Named shapes `align quantize --synthetic NAME` knows.
    public static let syntheticShapes: [String: LlamaConfig] = [
        "llama2-7b": LlamaConfig(vocabSize: 32000, hiddenSize: 4096, intermediateSize: 11008, layerCount: 32,
                                 headCount: 32, ropeTheta: 10_000, rmsEpsilon: 1e-5, maxPositions: 4096,
                                 ropeStyle: .interleaved),
        "llama2-tiny": LlamaConfig(vocabSize: 512, hiddenSize: 256, intermediateSize: 512, layerCount: 2,
                                   headCount: 4, ropeTheta: 10_000, rmsEpsilon: 1e-5, maxPositions: 512,
                                   ropeStyle: .interleaved),
    ]

    /// A model of shape `c` with uniform random weights (std 0.02, seeded per tensor and row),
    /// norms of 1, and a SentencePiece-style vocabulary (`<unk>`, `<s>`, `</s>`, 256 byte tokens,
    /// then placeholder pieces) so llama.cpp and align both load it.
    public static func synthetic(_ c: LlamaConfig, name: String, target: QuantizationTarget,
                                 seed: UInt64 = 7) -> GGUFConversion {
        var plan = GGUFConversion()
        plan.set("general.architecture", .string("llama"))
        plan.set("general.name", .string("synthetic-\(name)"))
        plan.setLlamaHyperParameters(c)
        plan.set("general.file_type", .uint32(target.fileType))
        plan.set("general.quantization_version", .uint32(2))
        plan.setPlaceholderVocabulary(size: c.vocabSize)

        let gguf = LlamaTensorNames.gguf
        var index: UInt64 = 0
        func matrix(_ name: String, _ rows: Int, _ cols: Int) {
            index += 1
            let tensorSeed = seed &* 0x9E37_79B9_7F4A_7C15 &+ index
            plan.add(GGUFTensorPlan(name: name, shape: [rows, cols], dtype: target.dtype(forRowLength: cols)),
                     .rows(count: rows, cols: cols, row: { r, out in
                         var random = SeededRandom(seed: tensorSeed &+ UInt64(r) &* 0xD1B5_4A32_D192_ED03)
                         // Uniform on [-a, a] with a = 0.02·√3 has standard deviation 0.02.
                         for k in 0..<cols { out[k] = Float(random.nextUnit() * 2 - 1) * 0.034641 }
                     }))
        }
        func norm(_ name: String, _ count: Int) {
            plan.add(GGUFTensorPlan(name: name, shape: [count], dtype: .f32),
                     .rows(count: 1, cols: count, row: { _, out in out.update(repeating: 1, count: count) }))
        }
        matrix(gguf.embedding, c.vocabSize, c.hiddenSize)
        for i in 0..<c.layerCount {
            norm(gguf.layer(i, .attentionNorm), c.hiddenSize)
            matrix(gguf.layer(i, .query), c.qDim, c.hiddenSize)
            matrix(gguf.layer(i, .key), c.kvDim, c.hiddenSize)
            matrix(gguf.layer(i, .value), c.kvDim, c.hiddenSize)
            matrix(gguf.layer(i, .attentionOutput), c.hiddenSize, c.qDim)
            norm(gguf.layer(i, .ffnNorm), c.hiddenSize)
            matrix(gguf.layer(i, .gate), c.intermediateSize, c.hiddenSize)
            matrix(gguf.layer(i, .up), c.intermediateSize, c.hiddenSize)
            matrix(gguf.layer(i, .down), c.hiddenSize, c.intermediateSize)
        }
        norm(gguf.finalNorm, c.hiddenSize)
        matrix(gguf.output, c.vocabSize, c.hiddenSize)
        return plan
    }

    /// A LLaMA-style SentencePiece vocabulary of `size` pieces: ids 0–2 `<unk>` `<s>` `</s>`,
    /// 3–258 the byte pieces `<0x00>`…`<0xFF>`, then `▁t<id>` placeholders.
    mutating func setPlaceholderVocabulary(size: Int) {
        var pieces = ["<unk>", "<s>", "</s>"]
        var types: [Int32] = [2, 3, 3]
        for byte in 0..<256 {
            pieces.append("<0x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) + ">")
            types.append(6)
        }
        while pieces.count < size {
            pieces.append("\u{2581}t\(pieces.count)")
            types.append(1)
        }
        pieces = Array(pieces.prefix(size))
        types = Array(types.prefix(size))
        set("tokenizer.ggml.model", .string("llama"))
        set("tokenizer.ggml.tokens", .stringArray(pieces))
        set("tokenizer.ggml.scores", .float32Array(pieces.indices.map { -Float($0) }))
        set("tokenizer.ggml.token_type", .int32Array(types))
        set("tokenizer.ggml.unknown_token_id", .uint32(0))
        set("tokenizer.ggml.bos_token_id", .uint32(1))
        set("tokenizer.ggml.eos_token_id", .uint32(2))
        set("tokenizer.ggml.add_bos_token", .bool(true))
        set("tokenizer.ggml.add_eos_token", .bool(false))
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
