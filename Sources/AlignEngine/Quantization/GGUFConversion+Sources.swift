import CSentencePiece
import Foundation

/// Conversion plans for the inputs `align quantize` takes: a GGUF file, or a LLaMA-family
/// Hugging Face folder (safetensors or PyTorch weights with `config.json`).
extension GGUFConversion {
    /// Every key/value of `file` copied with its original type (tokenizer arrays included), with
    /// `general.file_type` set for the new type; tensors in file order.
    public static func fromGGUF(_ file: GGUFFile, target: QuantizationTarget,
                                requantize: Bool) throws(EngineError) -> GGUFConversion {
        var plan = GGUFConversion()
        plan.sources = [file]
        for (key, value) in try file.rawMetadata() where key != "general.alignment" {
            plan.set(key, value)
        }
        plan.set("general.file_type", .uint32(target.fileType))
        plan.set("general.quantization_version", .uint32(2))
        for name in file.tensorNames {
            guard let tensor = file.tensors[name] else { continue }
            do { try plan.add(tensor, name: name, target: target, requantize: requantize) } catch {
                throw .file(file.location, "\(error)")
            }
        }
        return plan
    }

    /// A LLaMA-family HF folder in llama.cpp's GGUF layout: `llama.*` hyper-parameters, tensors
    /// renamed (`model.layers.N.self_attn.q_proj.weight` → `blk.N.attn_q.weight`), Q and K rows
    /// permuted for interleaved rotary pairs, and the SentencePiece vocabulary of
    /// `tokenizer.model` as `tokenizer.ggml.*` arrays.
    /// Matches: llama.cpp `convert_hf_to_gguf.py` (`LlamaModel`, `_set_vocab_sentencepiece`).
    public static func fromHuggingFace(folder: String, store: TensorStore, config: HFConfig,
                                       target: QuantizationTarget, requantize: Bool) throws(EngineError) -> GGUFConversion {
        let c = try config.llamaConfig()
        var plan = GGUFConversion()
        plan.sources = [store]
        plan.set("general.architecture", .string("llama"))
        plan.set("general.name", .string((folder as NSString).lastPathComponent))
        plan.setLlamaHyperParameters(c)
        plan.set("general.file_type", .uint32(target.fileType))
        plan.set("general.quantization_version", .uint32(2))
        try plan.setSentencePieceVocabulary(folder: folder)
        if let template = try chatTemplate(folder: folder) { plan.set("tokenizer.chat_template", .string(template)) }

        let hf = LlamaTensorNames.huggingFace, gguf = LlamaTensorNames.gguf
        func tensor(_ name: String) throws(EngineError) -> StoredTensor {
            guard let t = store.tensors[name] else { throw .file(store.location, "missing tensor '\(name)'") }
            return t
        }
        try plan.add(try tensor(hf.embedding), name: gguf.embedding, target: target, requantize: requantize)
        for i in 0..<c.layerCount {
            for part in LlamaTensorNames.LayerPart.allCases {
                let heads: Int? = part == .query ? c.headCount : part == .key ? c.kvHeadCount : nil
                try plan.add(try tensor(hf.layer(i, part)), name: gguf.layer(i, part), target: target,
                             requantize: requantize, permuteHeads: heads)
            }
        }
        try plan.add(try tensor(hf.finalNorm), name: gguf.finalNorm, target: target, requantize: requantize)
        if let output = store.tensors[hf.output], !c.tiedEmbeddings {
            try plan.add(output, name: gguf.output, target: target, requantize: requantize)
        }
        return plan
    }

    /// `llama.*` keys with the value types llama.cpp's loader checks (u32 counts, f32 floats).
    mutating func setLlamaHyperParameters(_ c: LlamaConfig) {
        set("llama.context_length", .uint32(UInt32(c.maxPositions)))
        set("llama.embedding_length", .uint32(UInt32(c.hiddenSize)))
        set("llama.block_count", .uint32(UInt32(c.layerCount)))
        set("llama.feed_forward_length", .uint32(UInt32(c.intermediateSize)))
        set("llama.rope.dimension_count", .uint32(UInt32(c.ropeDim)))
        set("llama.attention.head_count", .uint32(UInt32(c.headCount)))
        set("llama.attention.head_count_kv", .uint32(UInt32(c.kvHeadCount)))
        set("llama.attention.layer_norm_rms_epsilon", .float32(c.rmsEpsilon))
        set("llama.rope.freq_base", .float32(Float(c.ropeTheta)))
        set("llama.vocab_size", .uint32(UInt32(c.vocabSize)))
        if c.headDim * c.headCount != c.hiddenSize {
            set("llama.attention.key_length", .uint32(UInt32(c.headDim)))
            set("llama.attention.value_length", .uint32(UInt32(c.headDim)))
        }
    }

    /// Pieces, scores and types of `tokenizer.model`; types map SentencePiece's kinds onto
    /// llama.cpp's token types (normal 1, unknown 2, control 3, unused 5, byte 6).
    mutating func setSentencePieceVocabulary(folder: String) throws(EngineError) {
        let path = folder + "/tokenizer.model"
        guard FileManager.default.fileExists(atPath: path) else {
            throw .unsupported("\(folder): no tokenizer.model; align quantize converts SentencePiece LLaMA folders "
                + "(for tokenizer.json-only folders, convert with llama.cpp's convert_hf_to_gguf.py and quantize the GGUF)")
        }
        var message: UnsafeMutablePointer<CChar>?
        guard let spm = spm_load(path, &message) else {
            let reason = message.map { String(cString: $0) } ?? "unreadable"
            if let message { spm_free_string(message) }
            throw .file(path, "cannot load SentencePiece model: \(reason)")
        }
        defer { spm_free(spm) }
        let n = Int(spm_vocab_size(spm))
        var pieces: [String] = [], scores: [Float] = [], types: [Int32] = []
        var buffer = [CChar](repeating: 0, count: 1024)
        for id in 0..<n {
            let length = spm_id_to_piece(spm, Int32(id), &buffer, Int32(buffer.count))
            guard length >= 0, Int(length) < buffer.count else { throw .file(path, "piece \(id) is unreadable or too long") }
            pieces.append(String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
            scores.append(spm_score(spm, Int32(id)))
            let type: Int32 = switch spm_piece_kind(spm, Int32(id)) { case 1: 2; case 2: 3; case 4: 5; case 5: 6; default: 1 }
            types.append(type)
        }
        set("tokenizer.ggml.model", .string("llama"))
        set("tokenizer.ggml.tokens", .stringArray(pieces))
        set("tokenizer.ggml.scores", .float32Array(scores))
        set("tokenizer.ggml.token_type", .int32Array(types))
        let ids = [("bos", spm_bos_id(spm)), ("eos", spm_eos_id(spm)), ("unknown", spm_unk_id(spm)), ("padding", spm_pad_id(spm))]
        for (name, id) in ids where id >= 0 && Int(id) < n { set("tokenizer.ggml.\(name)_token_id", .uint32(UInt32(id))) }
        set("tokenizer.ggml.add_bos_token", .bool(true))
        set("tokenizer.ggml.add_eos_token", .bool(false))
    }

    /// The `chat_template` string of `tokenizer_config.json`, if any.
    static func chatTemplate(folder: String) throws(EngineError) -> String? {
        let path = folder + "/tokenizer_config.json"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try HFJSON.read(path: path)["chat_template"]?.stringValue
    }
}
