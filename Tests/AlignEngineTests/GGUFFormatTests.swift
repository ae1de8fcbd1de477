import Foundation
import Testing
@testable import AlignEngine

/// `Fixtures/gguf/tiny_types.{gguf,json}` from `scripts/fixtures/gguf_tiny.py` (gguf-py writer
/// and dequantizer).
struct GGUFFormatTests {
    static let path = LlamaTestModel.fixtureURL("tiny_types.gguf").path

    struct Expected: Decodable {
        struct Tensor: Decodable {
            let shape: [Int]
            let values: [Float]
        }
        let tensors: [String: Tensor]
    }

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: LlamaTestModel.fixtureURL("tiny_types.json")))
    }

    @Test func readsEveryMetadataType() throws {
        let g = try GGUFFile(path: Self.path)
        #expect(g.metadata["t.u8"] == .uint(200))
        #expect(g.metadata["t.i8"] == .int(-100))
        #expect(g.metadata["t.u16"] == .uint(60000))
        #expect(g.metadata["t.i16"] == .int(-30000))
        #expect(g.metadata["t.u32"] == .uint(4_000_000_000))
        #expect(g.metadata["t.i32"] == .int(-2_000_000_000))
        #expect(g.metadata["t.f32"] == .float(0.5))
        #expect(g.bool("t.bool") == true)
        #expect(g.string("t.string") == "héllo ✓")
        #expect(g.metadata["t.u64"] == .uint(1 << 63 + 5))
        #expect(g.metadata["t.i64"] == .int(-(1 << 62)))
        #expect(g.double("t.f64") == 0.1)
        #expect(try g.ints("t.ints") == [1, -2, 3])
        #expect(try g.strings("t.strings") == ["a", "", "ĠParis"])
        #expect(g.metadata["t.nested"] == .array([.array([.int(1), .int(2)]), .array([.int(3)])]))
        #expect(g.architecture == "tiny")
    }

    @Test func dequantizesEveryStoredTypeLikeGGUFPy() throws {
        let g = try GGUFFile(path: Self.path)
        let expected = try Self.expected()
        #expect(Set(expected.tensors.keys) == Set(DType.allCases.map(\.rawValue)))
        for dtype in DType.allCases {
            let tensor = try #require(g.tensors[dtype.rawValue])
            let want = try #require(expected.tensors[dtype.rawValue])
            #expect(tensor.dtype == dtype)
            #expect(tensor.shape == want.shape)
            let base = try #require(tensor.bytes.baseAddress)
            let got = ReferenceDequantizer.dequantize(dtype, base, count: tensor.elementCount)
            let matrix = try QuantizedMatrix(tensor)
            var fast = [Float](repeating: 0, count: tensor.elementCount)
            fast.withUnsafeMutableBufferPointer { out in
                for r in 0..<matrix.rows { matrix.dequantizeRow(r, into: out.baseAddress! + r * matrix.cols) }
            }
            let scale = want.values.map { abs($0) }.max() ?? 1
            let worst = zip(got, want.values).map { abs($0 - $1) }.max() ?? 0
            let worstFast = zip(fast, want.values).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-6 * scale, "\(dtype) reference dequantizer")
            #expect(worstFast <= 1e-6 * scale, "\(dtype) C dequantizer")
        }
    }

    @Test func refusesUnsupportedTensorType() throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.path)))
        // Find the first tensor info ("f32": name length 3) and patch its ggml type to Q2_K (10).
        let name = Array("f32".utf8)
        var at = -1
        for i in 0..<(bytes.count - 11) where bytes[i..<(i + 8)] == [3, 0, 0, 0, 0, 0, 0, 0][...] && Array(bytes[(i + 8)..<(i + 11)]) == name {
            at = i
            break
        }
        try #require(at >= 0)
        let typeOffset = at + 8 + 3 + 4 + 2 * 8
        bytes[typeOffset] = 10
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("align-gguf-q2k-\(getpid()).gguf")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect {
            try GGUFFile(path: url.path)
        } throws: { error in
            "\(error)".contains("Q2_K") && "\(error)".contains("'f32'")
        }
    }
}
