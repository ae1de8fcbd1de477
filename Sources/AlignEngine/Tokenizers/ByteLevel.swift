/// GPT-2's reversible byte ↔ printable-character table: every byte gets a visible Unicode
/// character so byte-level vocabularies can be stored as text (`Ġ` is the space byte 0x20).
///
/// Matches: OpenAI GPT-2 `encoder.py` `bytes_to_unicode`, HF `tokenizers` `pre_tokenizers::byte_level`.
enum ByteLevel {
    /// Character for each byte value.
    static let byteToScalar: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var extra: UInt32 = 0
        for b in 0..<256 {
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            if printable {
                table[b] = Unicode.Scalar(UInt8(b))
            } else {
                table[b] = Unicode.Scalar(256 + extra) ?? " "
                extra += 1
            }
        }
        return table
    }()

    /// Byte for each table character (indexed by scalar value, up to U+0143).
    static let scalarToByte: [Int16] = {
        var table = [Int16](repeating: -1, count: 324)
        for (b, s) in byteToScalar.enumerated() { table[Int(s.value)] = Int16(b) }
        return table
    }()

    /// The vocabulary spelling of raw bytes.
    static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(byteToScalar[Int(b)]) }
        return String(s)
    }

    /// Writes the bytes a vocabulary piece (given as its UTF-8) stands for at `out[at...]` and
    /// returns the end; characters outside the table (an added token's plain text) are kept as
    /// their own UTF-8. Read straight from the piece's bytes so tokenizers need not keep a decoded
    /// copy of the vocabulary resident (issue 8). Never writes more bytes than `piece` has.
    ///
    /// Every table character is below U+0144: ASCII maps to itself either way, so only two-byte
    /// sequences need a lookup; longer sequences are copied.
    static func decode(utf8 piece: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        scalarToByte.withUnsafeBufferPointer { table in
            var i = 0, o = start
            while i < piece.count {
                let lead = piece[i]
                if lead & 0xE0 == 0xC0, i + 1 < piece.count {
                    let v = Int(lead & 0x1F) << 6 | Int(piece[i + 1] & 0x3F)
                    if v < table.count, table[v] >= 0 {
                        out[o] = UInt8(truncatingIfNeeded: table[v])
                        o += 1
                    } else {
                        out[o] = lead
                        out[o + 1] = piece[i + 1]
                        o += 2
                    }
                    i += 2
                } else {
                    out[o] = lead
                    o += 1
                    i += 1
                }
            }
            return o
        }
    }
}
