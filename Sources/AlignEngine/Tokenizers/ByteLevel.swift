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

    /// The bytes a vocabulary piece stands for; characters outside the table (an added token's
    /// plain text) are kept as their own UTF-8.
    static func decode(_ piece: String, into out: inout [UInt8]) {
        for s in piece.unicodeScalars {
            let v = Int(s.value)
            if v < scalarToByte.count, scalarToByte[v] >= 0 {
                out.append(UInt8(scalarToByte[v]))
            } else {
                out.append(contentsOf: String(s).utf8)
            }
        }
    }
}
