import Testing
@testable import AlignEngine

/// Every optimized kernel against the scalar Swift reference, on random odd shapes, by
/// normalized error; plus the determinism contract (results independent of batch and threads).
@Suite(.serialized)
struct KernelTests {
    /// Byte offsets of the fp16 scales inside a block (ggml-common.h), set to sane values so random
    /// blocks decode to finite numbers.
    static func scaleOffsets(_ dtype: DType) -> [Int] {
        switch dtype {
        case .f32, .f16, .bf16: []
        case .q8_0, .q4_0, .q5_0: [0]
        case .q4_1, .q5_1, .q4_k, .q5_k: [0, 2]
        case .q6_k: [208]
        }
    }

    /// Random weights `[rows, k]` of `dtype` in owned storage.
    static func randomMatrix(_ dtype: DType, rows: Int, k: Int, rng: inout SeededRandom) throws -> (QuantizedMatrix, UnsafeMutableRawBufferPointer) {
        let rowBytes = k / dtype.blockSize * dtype.blockBytes
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: rows * rowBytes, alignment: 64)
        for i in 0..<raw.count { raw[i] = UInt8(truncatingIfNeeded: rng.next()) }
        let blocks = rows * rowBytes / dtype.blockBytes
        for b in 0..<blocks {
            let block = raw.baseAddress! + b * dtype.blockBytes
            switch dtype {
            case .f32: block.storeBytes(of: Float(rng.nextUnit() * 2 - 1), as: Float.self)
            case .f16: block.storeBytes(of: Float16(rng.nextUnit() * 2 - 1).bitPattern, as: UInt16.self)
            case .bf16: block.storeBytes(of: UInt16((Float(rng.nextUnit() * 2 - 1)).bitPattern >> 16), as: UInt16.self)
            default:
                for offset in scaleOffsets(dtype) {
                    let scale = Float16((rng.nextUnit() - 0.5) * 0.1)
                    block.storeBytes(of: scale.bitPattern, toByteOffset: offset, as: UInt16.self)
                }
            }
        }
        let tensor = StoredTensor(name: "w", dtype: dtype, shape: [rows, k], bytes: UnsafeRawBufferPointer(raw), owner: nil)
        return (try QuantizedMatrix(tensor), raw)
    }

    /// Exact-ish products in f64 and, per output, the sum of |terms| that bounds rounding error.
    static func reference(_ w: QuantizedMatrix, _ x: [Float], m: Int) -> (values: [Double], magnitudes: [Double]) {
        var y = [Double](repeating: 0, count: m * w.rows), mag = y
        for r in 0..<w.rows {
            let row = ReferenceDequantizer.dequantize(w.dtype, w.base + r * w.rowBytes, count: w.cols)
            for j in 0..<m {
                var s = 0.0, a = 0.0
                for i in 0..<w.cols {
                    let t = Double(row[i]) * Double(x[j * w.cols + i])
                    s += t
                    a += abs(t)
                }
                y[j * w.rows + r] = s
                mag[j * w.rows + r] = a
            }
        }
        return (y, mag)
    }

    static func run(_ w: QuantizedMatrix, _ x: [Float], m: Int, pool: WorkerPool,
                    isa: KernelISA? = nil, sgemm: Bool = false) -> [Float] {
        var y = [Float](repeating: .nan, count: m * w.rows)
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
                w.multiply(xb.baseAddress!, ldx: w.cols, m: m, into: yb.baseAddress!, ldy: w.rows, pool: pool,
                           allowSGEMM: sgemm, isa: isa)
            }
        }
        return y
    }

    static let pool1 = WorkerPool(threads: 1)
    static let pool3 = WorkerPool(threads: 3)

    @Test(arguments: DType.allCases)
    func matmulMatchesReferenceOnEveryISA(dtype: DType) throws {
        var rng = SeededRandom(seed: 7)
        let ks = dtype.blockSize == 256 ? [256, 768] : dtype.blockSize == 32 ? [32, 96, 224] : [33, 64, 96]
        let paths: [(KernelISA?, Bool)] = KernelISA.allCases.filter(\.isSupported).map { ($0, false) } + [(nil, true)]
        for (isa, sgemm) in paths {
            for k in ks {
                for (rows, m) in [(1, 1), (13, 1), (37, 3), (9, 11), (19, 17), (70, 20)] {
                    let (w, raw) = try Self.randomMatrix(dtype, rows: rows, k: k, rng: &rng)
                    defer { raw.deallocate() }
                    let x = (0..<(m * k)).map { _ in Float(rng.nextUnit() * 2 - 1) }
                    let (want, magnitude) = Self.reference(w, x, m: m)
                    let got = Self.run(w, x, m: m, pool: Self.pool3, isa: isa, sgemm: sgemm)
                    var worst = 0.0
                    for i in got.indices { worst = max(worst, abs(Double(got[i]) - want[i]) / max(magnitude[i], 1e-12)) }
                    let path = sgemm ? "sgemm" : "\(isa.map { "\($0)" } ?? "best")"
                    #expect(worst < 1e-5, "\(dtype) \(path) k=\(k) rows=\(rows) m=\(m): normalized error \(worst)")
                }
            }
        }
    }

    @Test(arguments: [DType.q4_1, .q8_0, .f16, .q6_k])
    func resultsDoNotDependOnBatchOrThreads(dtype: DType) throws {
        var rng = SeededRandom(seed: 11)
        let k = dtype.blockSize == 256 ? 512 : 160
        let (w, raw) = try Self.randomMatrix(dtype, rows: 45, k: k, rng: &rng)
        defer { raw.deallocate() }
        let m = 13
        let x = (0..<(m * k)).map { _ in Float(rng.nextUnit() * 2 - 1) }
        let batched = Self.run(w, x, m: m, pool: Self.pool3)
        #expect(Self.run(w, x, m: m, pool: Self.pool1) == batched)
        for j in [0, 5, 12] {
            let single = Self.run(w, Array(x[(j * k)..<((j + 1) * k)]), m: 1, pool: Self.pool1)
            #expect(single == Array(batched[(j * w.rows)..<((j + 1) * w.rows)]), "column \(j)")
        }
    }

    @Test func sgemmPrefillDoesNotDependOnThreads() throws {
        var rng = SeededRandom(seed: 13)
        let (w, raw) = try Self.randomMatrix(.q4_1, rows: 150, k: 96, rng: &rng)
        defer { raw.deallocate() }
        let m = 40
        let x = (0..<(m * 96)).map { _ in Float(rng.nextUnit() * 2 - 1) }
        #expect(Self.run(w, x, m: m, pool: Self.pool1, sgemm: true) == Self.run(w, x, m: m, pool: Self.pool3, sgemm: true))
    }

    @Test func workerPoolCoversEveryIndexOnce() {
        var hits = [Int](repeating: 0, count: 1000)
        hits.withUnsafeMutableBufferPointer { h in
            let base = h.baseAddress!
            Self.pool3.parallelFor(1000, granularity: 8) { _, range, _ in
                for i in range { base[i] += 1 }
            }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }
}
