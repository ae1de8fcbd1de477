import CKernels
import Foundation
import Testing
@testable import AlignEngine

/// The encoder's vectorised GELU, attention of one head and add & LayerNorm (`ck_bert_gelu`,
/// `ck_bert_attend_head`, `ck_bert_add_layer_norm`) against Double references, over lengths that
/// exercise the 8-lane body and every tail.
@Suite struct BertOpsTests {
    @Test func geluMatchesTheErfDefinition() {
        var x = (0..<1003).map { Float($0 - 501) * 0.017 }
        let input = x
        ck_bert_gelu(&x, x.count)
        var worst = 0.0
        for (v, g) in zip(input, x) {
            let exact = 0.5 * Double(v) * (1 + Foundation.erf(Double(v) / 2.0.squareRoot()))
            worst = max(worst, abs(Double(g) - exact))
        }
        #expect(worst <= 2e-6, "max error \(worst)")
    }

    /// Deterministic values in [-scale, scale).
    static func values(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Float(Int64(bitPattern: state >> 11) % 2000) / 1000 - 1) * scale
        }
    }

    /// One head of attention over rows of `3 * width` floats (query, key, value side by side, as
    /// the encoder's stacked projection lays them out), in Double.
    static func attention(_ qkv: [Float], len: Int, d: Int, width: Int, keep: [Bool]?) -> [Double] {
        let ld = 3 * width, scale = 1 / Double(d).squareRoot()
        var out = [Double](repeating: 0, count: len * d)
        for i in 0..<len {
            var scores = (0..<len).map { j in
                (0..<d).reduce(0.0) { $0 + Double(qkv[i * ld + $1]) * Double(qkv[j * ld + width + $1]) } * scale
            }
            let kept = (0..<len).filter { keep?[$0] ?? true }
            if kept.isEmpty {
                scores = [Double](repeating: 1 / Double(len), count: len)
            } else {
                let top = kept.map { scores[$0] }.max() ?? 0
                let exps = (0..<len).map { (keep?[$0] ?? true) ? Foundation.exp(scores[$0] - top) : 0 }
                let sum = exps.reduce(0, +)
                scores = exps.map { $0 / sum }
            }
            for c in 0..<d {
                out[i * d + c] = (0..<len).reduce(0.0) { $0 + scores[$1] * Double(qkv[$1 * ld + 2 * width + c]) }
            }
        }
        return out
    }

    /// Lengths around the 8-lane tails, head sizes on the AVX2 path (multiples of 8, one to more
    /// than four 8-column chunks) and off it, with every key kept, some masked, and none kept.
    @Test(arguments: [8, 32, 40, 64, 12, 5])
    func attendHeadMatchesADoubleReference(d: Int) {
        for len in [1, 2, 7, 8, 9, 26, 37] {
            let width = 2 * d
            let qkv = Self.values(len * 3 * width, seed: UInt64(len * 100 + d), scale: 3)
            let masks: [[Bool]?] = [nil, (0..<len).map { $0 % 3 != 1 }, [Bool](repeating: false, count: len)]
            for keep in masks {
                var scratch = [Float](repeating: .nan, count: ck_bert_attention_scratch(Int32(len), Int32(d)))
                var out = [Float](repeating: .nan, count: len * width)
                qkv.withUnsafeBufferPointer { qkv in
                    guard let q = qkv.baseAddress else { return }
                    let run = { (mask: UnsafePointer<Bool>?) in
                        ck_bert_attend_head(q, q + width, q + 2 * width, 3 * width, Int32(len), Int32(d), 1 / Float(d).squareRoot(),
                                            mask, &scratch, &out, width)
                    }
                    if let keep { keep.withUnsafeBufferPointer { run($0.baseAddress) } } else { run(nil) }
                }
                let expected = Self.attention(qkv, len: len, d: d, width: width, keep: keep)
                var worst = 0.0
                for i in 0..<len {
                    for c in 0..<d { worst = max(worst, abs(Double(out[i * width + c]) - expected[i * d + c])) }
                    let beyond = out[(i * width + d)..<((i + 1) * width)]
                    #expect(beyond.filter { !$0.isNaN }.isEmpty, "wrote past the head")
                }
                #expect(worst <= 2e-5, "len \(len) d \(d) mask \(keep == nil ? "none" : "some"): max error \(worst)")
            }
        }
    }

    @Test(arguments: [1, 7, 8, 384, 389])
    func addLayerNormMatchesADoubleReference(width: Int) {
        let rows = 3
        let x = Self.values(rows * width, seed: 5, scale: 4), residual = Self.values(rows * width, seed: 6)
        let gamma = Self.values(width, seed: 7), beta = Self.values(width, seed: 8)
        for withResidual in [false, true] {
            var y = x
            if withResidual {
                ck_bert_add_layer_norm(&y, residual, Int32(rows), Int32(width), gamma, beta, 1e-12)
            } else {
                ck_bert_add_layer_norm(&y, nil, Int32(rows), Int32(width), gamma, beta, 1e-12)
            }
            var worst = 0.0
            for r in 0..<rows {
                let row = (0..<width).map { Double(x[r * width + $0]) + (withResidual ? Double(residual[r * width + $0]) : 0) }
                let mean = row.reduce(0, +) / Double(width)
                let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(width)
                for i in 0..<width {
                    let expected = (row[i] - mean) / (variance + 1e-12).squareRoot() * Double(gamma[i]) + Double(beta[i])
                    worst = max(worst, abs(Double(y[r * width + i]) - expected))
                }
            }
            #expect(worst <= 1e-5, "width \(width) residual \(withResidual): max error \(worst)")
        }
    }
}
