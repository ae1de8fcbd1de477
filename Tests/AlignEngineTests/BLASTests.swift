import CKernels
import Testing
@testable import AlignEngine

/// OpenBLAS as loaded at run time (`BLAS.sgemm`) and the fallback loop (`ck_sgemm_reference`)
/// against a Double product, for every transpose combination on odd shapes with padded leading
/// dimensions — which also checks that the CBLAS flag values and argument order are right.
@Suite struct BLASTests {
    /// `alpha·op(A)·op(B) + beta·C` in Double, row-major with the given leading dimensions.
    static func product(_ ta: Bool, _ tb: Bool, m: Int, n: Int, k: Int, alpha: Float, a: [Float], lda: Int,
                        b: [Float], ldb: Int, beta: Float, c: [Float], ldc: Int) -> [Double] {
        var out = c.map(Double.init)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    sum += Double(ta ? a[p * lda + i] : a[i * lda + p]) * Double(tb ? b[j * ldb + p] : b[p * ldb + j])
                }
                out[i * ldc + j] = Double(alpha) * sum + Double(beta) * Double(c[i * ldc + j])
            }
        }
        return out
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func bothPathsMatchADoubleProduct(_ flags: (Bool, Bool)) throws {
        #expect(BLAS.isLoaded, "bootstrap installs OpenBLAS; the test would otherwise check only the fallback")
        let (ta, tb) = flags
        for (m, n, k) in [(1, 1, 1), (7, 13, 5), (33, 17, 65), (64, 3, 129)] {
            let lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 2, ldc = n + 1
            let a = BertOpsTests.values((ta ? k : m) * lda, seed: UInt64(m * 31 + k))
            let b = BertOpsTests.values((tb ? n : k) * ldb, seed: UInt64(n * 17 + k))
            let c = BertOpsTests.values(m * ldc, seed: UInt64(m + n))
            let expected = Self.product(ta, tb, m: m, n: n, k: k, alpha: 0.75, a: a, lda: lda, b: b, ldb: ldb,
                                        beta: 0.5, c: c, ldc: ldc)
            var library = c, fallback = c
            BLAS.sgemm(ta ? .transposed : .none, tb ? .transposed : .none, m: m, n: n, k: k, alpha: 0.75, a, lda: lda,
                       b, ldb: ldb, beta: 0.5, &library, ldc: ldc)
            ck_sgemm_reference(ta ? 1 : 0, tb ? 1 : 0, Int32(m), Int32(n), Int32(k), 0.75, a, Int32(lda), b, Int32(ldb), 0.5,
                               &fallback, Int32(ldc))
            for (name, got) in [("OpenBLAS", library), ("reference", fallback)] {
                for i in 0..<m {
                    for j in 0..<n {
                        let index = i * ldc + j
                        // Each term is below 1 in magnitude: k float roundings bound the error.
                        #expect(abs(Double(got[index]) - expected[index]) <= 1e-6 * Double(k + 2),
                                "\(name) ta=\(ta) tb=\(tb) \(m)x\(n)x\(k) at (\(i), \(j))")
                    }
                }
                // Padding columns of C are never written.
                for i in 0..<m { #expect(got[i * ldc + n] == c[i * ldc + n], "\(name) wrote past n") }
            }
        }
    }
}
