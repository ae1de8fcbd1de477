import Foundation
import Testing
@testable import AlignEngine

/// The block quantizers against ggml's reference encodings (`scripts/fixtures/quantize_blocks.py`:
/// gguf-py for Q8_0/Q4_0, ggml's `ggml_quantize_chunk` for all three), byte for byte.
struct QuantizerTests {
    struct Blocks: Decodable {
        let rows: Int
        let cols: Int
        let values: [[Float]]
        let encoded: [String: String]
    }

    static func blocks() throws -> Blocks {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/quantize/blocks.json")
        return try JSONDecoder().decode(Blocks.self, from: Data(contentsOf: url))
    }

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var high: UInt8?
        for c in hex.utf8 {
            let v = c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return out
    }

    @Test(arguments: QuantizationTarget.allCases)
    func encodesLikeGGML(target: QuantizationTarget) throws {
        let fixture = try Self.blocks()
        let expected = Self.bytes(hex: try #require(fixture.encoded[target.rawValue]))
        let rowBytes = BlockQuantizer.byteCount(target.dtype, values: fixture.cols)
        #expect(expected.count == rowBytes * fixture.rows)
        for (r, row) in fixture.values.enumerated() {
            var got = [UInt8](repeating: 0, count: rowBytes)
            row.withUnsafeBufferPointer { src in
                got.withUnsafeMutableBytes { BlockQuantizer.quantize(src.baseAddress!, count: row.count, as: target.dtype, into: $0.baseAddress!) }
            }
            let want = Array(expected[r * rowBytes..<(r + 1) * rowBytes])
            let firstDiff = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(firstDiff == nil, "\(target) row \(r): first differing byte \(firstDiff ?? -1) (block \((firstDiff ?? 0) / target.dtype.blockBytes))")
        }
    }

    @Test(arguments: QuantizationTarget.allCases)
    func roundTripErrorIsWithinTheTypesStep(target: QuantizationTarget) throws {
        let fixture = try Self.blocks()
        let row = fixture.values[1]  // uniform in [-1, 1]
        var encoded = [UInt8](repeating: 0, count: BlockQuantizer.byteCount(target.dtype, values: row.count))
        row.withUnsafeBufferPointer { src in
            encoded.withUnsafeMutableBytes { BlockQuantizer.quantize(src.baseAddress!, count: row.count, as: target.dtype, into: $0.baseAddress!) }
        }
        let decoded = encoded.withUnsafeBytes { ReferenceDequantizer.dequantize(target.dtype, $0.baseAddress!, count: row.count) }
        let worst = zip(row, decoded).map { abs($0 - $1) }.max() ?? .infinity
        let bound: Float = target == .q8_0 ? 1.0 / 127 : 2.0 / 15
        #expect(worst <= bound, "\(target): worst error \(worst)")
    }

    @Test func nonFiniteInputDoesNotTrap() {
        let specials: [Float] = [.nan, .infinity, -.infinity, -3e38]
        let row: [Float] = (0..<256).map { (i: Int) -> Float in specials[i % specials.count] }
        for target in QuantizationTarget.allCases {
            var out = [UInt8](repeating: 0, count: BlockQuantizer.byteCount(target.dtype, values: 256))
            row.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBytes { BlockQuantizer.quantize(src.baseAddress!, count: 256, as: target.dtype, into: $0.baseAddress!) }
            }
            #expect(out.count == BlockQuantizer.byteCount(target.dtype, values: 256))
        }
    }

    @Test func targetNamesParse() {
        #expect(QuantizationTarget(name: "Q8_0") == .q8_0)
        #expect(QuantizationTarget(name: "q4_k_m") == .q4_k)
        #expect(QuantizationTarget(name: "q5_1") == nil)
        #expect(QuantizationTarget.q4_k.dtype(forRowLength: 576) == .q4_0)
        #expect(QuantizationTarget.q4_k.dtype(forRowLength: 512) == .q4_k)
    }
}
