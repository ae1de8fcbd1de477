import CSentencePiece

/// A `tokenizer.model` run by libsentencepiece itself (through the C shim), so ids and decoding are
/// the reference's by construction. BOS/EOS are added here, as transformers' LlamaTokenizer does.
public final class SentencePieceTokenizer: Tokenizer, @unchecked Sendable {
    /// libsentencepiece's processor is safe for concurrent `Encode`/`Decode` calls.
    private let processor: OpaquePointer
    /// Piece text and ids, and what each id decodes to, in flat buffers (resident, issue 8).
    private let vocabulary: PieceIndex
    private let decoded: DecodedPieces
    public let specialTokens: SpecialTokens

    public init(modelPath: String, addBos: Bool = true, addEos: Bool = false) throws(EngineError) {
        var err: UnsafeMutablePointer<CChar>?
        guard let p = spm_load(modelPath, &err) else {
            let message = err.map { String(cString: $0) } ?? "unknown error"
            if let err { spm_free_string(err) }
            throw .file(modelPath, "not a SentencePiece model: \(message)")
        }
        processor = p
        let n = Int(spm_vocab_size(p))
        var pieces: [String] = []
        var bytes: [[UInt8]] = []
        var control = Set<Int32>()
        var buffer = [CChar](repeating: 0, count: 256)
        for id in 0..<Int32(n) {
            let length = Int(spm_id_to_piece(p, id, &buffer, Int32(buffer.count)))
            if length >= buffer.count { buffer = [CChar](repeating: 0, count: length + 1) }
            _ = spm_id_to_piece(p, id, &buffer, Int32(buffer.count))
            let piece = String(decoding: buffer.prefix(max(0, length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            pieces.append(piece)
            switch spm_piece_kind(p, id) {
            case 2:
                control.insert(id)
                bytes.append([])
            case 1: bytes.append(Array(" \u{2047} ".utf8))
            case 5: bytes.append(SentencePieceBytes.byte(ofPiece: piece).map { [$0] } ?? [])
            default: bytes.append(Array(piece.replacingSpaceMarks().utf8))
            }
        }
        func valid(_ v: Int32) -> Int32? { v >= 0 && Int(v) < n ? v : nil }
        self.vocabulary = PieceIndex(pieces)
        self.decoded = DecodedPieces(count: bytes.count) { i, out in out.append(contentsOf: bytes[i]) }
        self.specialTokens = SpecialTokens(bos: valid(spm_bos_id(p)), eos: valid(spm_eos_id(p)), pad: valid(spm_pad_id(p)),
                                           unk: valid(spm_unk_id(p)), addBos: addBos, addEos: addEos, control: control)
    }

    deinit { spm_free(processor) }

    public var vocabularySize: Int { vocabulary.count }
    public var decodeDropsLeadingSpace: Bool { true }
    public func token(for piece: String) -> Int32? { vocabulary.id(piece) }
    public func piece(for id: Int32) -> String? { vocabulary.piece(id) }

    public func encode(_ text: String, addSpecial: Bool) -> [Int32] {
        var utf8 = Array(text.utf8)
        let count = utf8.count
        var ids = [Int32](repeating: 0, count: count + 8)
        var n = utf8.withUnsafeMutableBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { spm_encode(processor, $0.baseAddress, count, &ids, Int32(ids.count)) }
        }
        if n > ids.count {
            ids = [Int32](repeating: 0, count: Int(n))
            n = utf8.withUnsafeMutableBufferPointer { buf in
                buf.withMemoryRebound(to: CChar.self) { spm_encode(processor, $0.baseAddress, count, &ids, Int32(ids.count)) }
            }
        }
        let out = Array(ids.prefix(max(0, Int(n))))
        return addSpecial ? specialTokens.wrap(out) : out
    }

    public func decodeBytes(_ ids: [Int32], skipSpecial: Bool) -> [UInt8] {
        decoded.decode(ids) { _ in false }
    }

    /// libsentencepiece's own decoding (control ids always decode to nothing there).
    public func decode(_ ids: [Int32], skipSpecial: Bool) -> String {
        let valid = ids.filter { $0 >= 0 && Int($0) < vocabulary.count }
        var length = 0
        guard let s = spm_decode(processor, valid, Int32(valid.count), &length) else { return "" }
        defer { spm_free_string(s) }
        return String(decoding: UnsafeRawBufferPointer(start: s, count: length), as: UTF8.self)
    }
}
