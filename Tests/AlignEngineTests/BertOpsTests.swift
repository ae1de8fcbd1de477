import CKernels
import Foundation
import Testing
@testable import AlignEngine

/// The encoder's vectorised GELU and softmax (`ck_bert_gelu`, `ck_bert_softmax_rows`) against
/// Double references, over lengths that exercise the 8-lane body and every tail.
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

    @Test func softmaxRowsMatchADoubleSoftmax() {
        for cols in 1...37 {
            let rows = 3
            var scores = (0..<(rows * cols)).map { Float(sin(Double($0) * 1.3) * 6) }
            let input = scores
            ck_bert_softmax_rows(&scores, Int32(rows), Int32(cols))
            for r in 0..<rows {
                let row = input[(r * cols)..<((r + 1) * cols)].map(Double.init)
                let top = row.max() ?? 0
                let exps = row.map { Foundation.exp($0 - top) }
                let sum = exps.reduce(0, +)
                let worst = zip(exps, scores[(r * cols)..<((r + 1) * cols)]).map { abs($0 / sum - Double($1)) }.max() ?? 0
                #expect(worst <= 1e-6, "cols \(cols) row \(r): max error \(worst)")
            }
        }
    }
}
