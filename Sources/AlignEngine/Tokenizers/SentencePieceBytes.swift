/// SentencePiece's text conventions: `▁` (U+2581) marks a space, and `<0xXX>` pieces carry raw
/// bytes for characters outside the vocabulary (byte fallback).
enum SentencePieceBytes {
    static let spaceMark = "\u{2581}"
    private static let spaceMarkUTF8: [UInt8] = [0xE2, 0x96, 0x81]

    /// `<0x0A>` for byte 10.
    static func pieceName(_ b: UInt8) -> String {
        let hex = String(b, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }

    /// The byte a `<0xXX>` piece stands for.
    static func byte(ofPiece p: String) -> UInt8? {
        let u = Array(p.utf8)
        guard u.count == 6, u[0] == 0x3C, u[1] == 0x30, u[2] == 0x78, u[5] == 0x3E else { return nil }
        return UInt8(String(decoding: u[3..<5], as: UTF8.self), radix: 16)
    }

    /// Spaces → `▁`.
    static func escapeSpaces(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        for b in bytes {
            if b == 0x20 { out.append(contentsOf: spaceMarkUTF8) } else { out.append(b) }
        }
        return out
    }

    /// Length of the UTF-8 sequence a lead byte starts (1 for stray continuation bytes).
    static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...0xFF: 4
        case 0xE0...0xEF: 3
        case 0xC0...0xDF: 2
        default: 1
        }
    }
}

extension String {
    /// `▁` → space.
    func replacingSpaceMarks() -> String {
        guard contains(SentencePieceBytes.spaceMark) else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{2581}" ? " " : $0 }))
    }
}
