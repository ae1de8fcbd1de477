import CKernels
import Testing
@testable import AlignEngine

/// The encoder's packed dense kernel (`ck_bert_linear`) against a Double reference, and the
/// property the encoder relies on: a row's result is bit-identical whatever rows share the call,
/// and on the scalar and AVX2 paths.
@Suite struct BertPackedLinearTests {
    /// Deterministic values in [-1, 1).
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2000) / 1000 - 1
        }
    }

    static func run(level: Int32, x: [Float], rows: Int, packed: [Float], bias: [Float], out: Int, inputs: Int) -> [Float] {
        var y = [Float](repeating: .nan, count: rows * out)
        x.withUnsafeBufferPointer { x in
            packed.withUnsafeBufferPointer { p in
                bias.withUnsafeBufferPointer { b in
                    y.withUnsafeMutableBufferPointer { y in
                        ck_bert_linear_isa(level, x.baseAddress, inputs, Int32(rows), p.baseAddress, b.baseAddress,
                                           Int32(out), Int32(inputs), y.baseAddress, out)
                    }
                }
            }
        }
        return y
    }

    /// Shapes cover short last tiles and panels, several 72-row blocks ((150, 40, 400)) and
    /// several 384-wide k blocks, whose partial sums resume from y ((75, 33, 769), (7, 20, 1536)).
    @Test(arguments: [(1, 1, 1), (7, 16, 8), (13, 37, 19), (6, 48, 64), (25, 1152, 384), (150, 40, 400),
                      (75, 33, 769), (7, 20, 1536)])
    func matchesDoubleReferenceAndIsRowIndependent(rows: Int, out: Int, inputs: Int) {
        let w = Self.values(out * inputs, seed: 1), x = Self.values(rows * inputs, seed: 2), b = Self.values(out, seed: 3)
        var packed = [Float](repeating: .nan, count: ck_bert_packed_count(Int32(out), Int32(inputs)))
        packed.withUnsafeMutableBufferPointer { ck_bert_pack(w, Int32(out), Int32(inputs), $0.baseAddress) }
        let y = Self.run(level: 0, x: x, rows: rows, packed: packed, bias: b, out: out, inputs: inputs)
        var worst = 0.0
        for r in 0..<rows {
            for o in 0..<out {
                // Relative to the sum of the terms' magnitudes, which bounds the f32 rounding error
                // of any order of summation (it grows with the number of inputs).
                var sum = Double(b[o]), magnitude = abs(Double(b[o]))
                for k in 0..<inputs {
                    let term = Double(x[r * inputs + k]) * Double(w[o * inputs + k])
                    sum += term
                    magnitude += abs(term)
                }
                worst = max(worst, abs(Double(y[r * out + o]) - sum) / max(1, magnitude))
            }
        }
        #expect(worst <= 1e-6, "relative error \(worst)")
        #expect(Self.run(level: 1, x: x, rows: rows, packed: packed, bias: b, out: out, inputs: inputs) == y)
        for r in [0, rows / 2, rows - 1] {
            let alone = Self.run(level: 0, x: Array(x[(r * inputs)..<((r + 1) * inputs)]), rows: 1, packed: packed,
                                 bias: b, out: out, inputs: inputs)
            #expect(alone == Array(y[(r * out)..<((r + 1) * out)]))
        }
    }
}
