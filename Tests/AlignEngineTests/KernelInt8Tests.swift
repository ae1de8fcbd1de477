import CKernels
import Foundation
import Testing
@testable import AlignEngine

/// The fast-precision kernels against scalar Swift references on random odd shapes: activation
/// quantization (exact), int8 products (normalized error), SiLU and attention (vectorized exp),
/// f16 rounding; and the int8 products' independence from batch and thread split.
@Suite(.serialized)
struct KernelInt8Tests {
    static let int8Types: [DType] = [.q4_0, .q4_1, .q8_0]

    /// Quantized activation rows as the kernels store them, read back field by field.
    struct Blocks {
        let raw: [UInt8]
        let cols: Int
        func d(_ row: Int, _ b: Int) -> Float { field(row, b, 0) }
        func s(_ row: Int, _ b: Int) -> Float { field(row, b, 4) }
        func sum(_ row: Int, _ b: Int) -> Int {
            Int(raw.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset(row, b) + 8, as: Int32.self) })
        }
        func q(_ row: Int, _ b: Int, _ i: Int) -> Int { Int(Int8(bitPattern: raw[offset(row, b) + 16 + i])) }
        private func offset(_ row: Int, _ b: Int) -> Int { row * QuantizedMatrix.quantizedRowBytes(cols) + b * Int(CK_ACT_BLOCK_BYTES) }
        private func field(_ row: Int, _ b: Int, _ at: Int) -> Float {
            raw.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset(row, b) + at, as: Float.self) }
        }
    }

    static func quantize(_ x: [Float], cols: Int, m: Int) -> Blocks {
        var raw = [UInt8](repeating: 0, count: QuantizedMatrix.quantizedRowBytes(cols) * m)
        x.withUnsafeBufferPointer { xb in
            raw.withUnsafeMutableBytes { QuantizedMatrix.quantizeActivations(xb.baseAddress!, ldx: cols, cols: cols, m: m, into: $0.baseAddress!) }
        }
        return Blocks(raw: raw, cols: cols)
    }

    static func randomRows(_ count: Int, rng: inout SeededRandom) -> [Float] {
        (0..<count).map { i in Float(rng.nextUnit() * 2 - 1) * (i % 7 == 0 ? 4 : 1) }
    }

    /// Matches: ggml quantize_row_q8_1 (AVX2): d = fp16(amax / 127), q = round-half-even(x * 127 / amax),
    /// s = fp16(d * sum q) with the unrounded d; plus the exact sum of q.
    @Test func activationQuantizationMatchesTheDefinition() {
        var rng = SeededRandom(seed: 21)
        let cols = 96, m = 5
        var x = Self.randomRows(cols * m, rng: &rng)
        for i in 32..<64 { x[i] = 0 }
        let blocks = Self.quantize(x, cols: cols, m: m)
        for row in 0..<m {
            for b in 0..<cols / 32 {
                let values = x[(row * cols + b * 32)..<(row * cols + b * 32 + 32)]
                let amax = values.map(abs).max() ?? 0
                let id: Float = amax != 0 ? 127 / amax : 0
                let q = values.map { Int(($0 * id).rounded(.toNearestOrEven)) }
                #expect(blocks.d(row, b) == Float(Float16(amax / 127)), "row \(row) block \(b)")
                #expect(blocks.s(row, b) == Float(Float16(amax / 127 * Float(q.reduce(0, +)))))
                #expect((0..<32).map { blocks.q(row, b, $0) } == q)
                #expect(blocks.sum(row, b) == q.reduce(0, +))
            }
        }
    }

    /// Per pair, in f64: sum over blocks of d_w d_x sum(q_w q_x) (+ m_w s_x for Q4_1), and the sum
    /// of the element products' magnitudes that bounds rounding (the kernels' lane sums may cancel).
    static func reference(_ w: QuantizedMatrix, _ xq: Blocks, m: Int) -> (values: [Double], magnitudes: [Double]) {
        var y = [Double](repeating: 0, count: m * w.rows), mag = y
        let nb = w.cols / 32
        for r in 0..<w.rows {
            for b in 0..<nb {
                let block = w.base + r * w.rowBytes + b * w.dtype.blockBytes
                let dw = Double(Float(Float16(bitPattern: block.loadUnaligned(as: UInt16.self))))
                let mw = w.dtype == .q4_1 ? Double(Float(Float16(bitPattern: block.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))) : 0
                let qw: [Int] = (0..<32).map { i in
                    switch w.dtype {
                    case .q8_0: return Int(block.load(fromByteOffset: 2 + i, as: Int8.self))
                    case .q4_1: let byte = block.load(fromByteOffset: 4 + i % 16, as: UInt8.self); return Int(i < 16 ? byte & 15 : byte >> 4)
                    default: let byte = block.load(fromByteOffset: 2 + i % 16, as: UInt8.self); return Int(i < 16 ? byte & 15 : byte >> 4) - 8
                    }
                }
                for j in 0..<m {
                    let sum = (0..<32).reduce(0) { $0 + qw[$1] * xq.q(j, b, $1) }
                    let size = (0..<32).reduce(0) { $0 + abs(qw[$1] * xq.q(j, b, $1)) }
                    let scale = dw * Double(xq.d(j, b)), minTerm = mw * Double(xq.s(j, b))
                    y[j * w.rows + r] += scale * Double(sum) + minTerm
                    mag[j * w.rows + r] += abs(scale) * Double(size) + abs(minTerm)
                }
            }
        }
        return (y, mag)
    }

    static func run(_ w: QuantizedMatrix, _ xq: Blocks, m: Int, pool: WorkerPool, isa: KernelISA? = nil) -> [Float] {
        let packed = QuantizedMatrix.packForInt8([w], pool: pool)[0]
        var y = [Float](repeating: .nan, count: m * w.rows)
        xq.raw.withUnsafeBytes { xb in
            y.withUnsafeMutableBufferPointer { yb in
                Int8PackedMatrix.multiply([(packed, yb.baseAddress!, w.rows)], xb.baseAddress!, m: m, pool: pool, isa: isa)
            }
        }
        return y
    }

    @Test(arguments: int8Types)
    func int8ProductsMatchReferenceOnEveryISA(dtype: DType) throws {
        var rng = SeededRandom(seed: 23)
        for isa in KernelISA.allCases.filter(\.isSupported) {
            for k in [32, 96, 224] {
                for (rows, m) in [(1, 1), (13, 1), (37, 3), (9, 11), (19, 17), (70, 20)] {
                    let (w, raw) = try KernelTests.randomMatrix(dtype, rows: rows, k: k, rng: &rng)
                    defer { raw.deallocate() }
                    #expect(w.hasInt8Kernel)
                    let xq = Self.quantize(Self.randomRows(m * k, rng: &rng), cols: k, m: m)
                    let (want, magnitude) = Self.reference(w, xq, m: m)
                    let got = Self.run(w, xq, m: m, pool: KernelTests.pool3, isa: isa)
                    var worst = 0.0
                    for i in got.indices { worst = max(worst, abs(Double(got[i]) - want[i]) / max(magnitude[i], 1e-12)) }
                    #expect(worst < 1e-5, "\(dtype) \(isa) k=\(k) rows=\(rows) m=\(m): normalized error \(worst)")
                }
            }
        }
    }

    /// Every instruction set computes each pair with the scalar reference's operations: equal bits.
    @Test(arguments: int8Types)
    func int8ProductsAreBitIdenticalAcrossISAs(dtype: DType) throws {
        var rng = SeededRandom(seed: 27)
        for (rows, k, m) in [(3, 32, 1), (8, 64, 2), (21, 320, 5), (50, 96, 9)] {
            let (w, raw) = try KernelTests.randomMatrix(dtype, rows: rows, k: k, rng: &rng)
            defer { raw.deallocate() }
            let xq = Self.quantize(Self.randomRows(m * k, rng: &rng), cols: k, m: m)
            let scalar = Self.run(w, xq, m: m, pool: KernelTests.pool1, isa: .scalar)
            #expect(!scalar.contains { $0.isNaN }, "every output written")
            for isa in KernelISA.allCases.filter(\.isSupported) {
                #expect(Self.run(w, xq, m: m, pool: KernelTests.pool3, isa: isa) == scalar, "\(dtype) \(isa) rows=\(rows) k=\(k) m=\(m)")
            }
        }
    }

    /// A tied embedding is looked up in its packed copy: every row, including those of a partial
    /// last group, must come back exactly as the stored row dequantizes.
    @Test(arguments: int8Types)
    func packedRowsDequantizeExactlyAsStoredRows(dtype: DType) throws {
        var rng = SeededRandom(seed: 31)
        for (rows, k) in [(1, 32), (13, 96), (21, 320)] {
            let (w, raw) = try KernelTests.randomMatrix(dtype, rows: rows, k: k, rng: &rng)
            defer { raw.deallocate() }
            let packed = QuantizedMatrix.packForInt8([w], pool: KernelTests.pool3)[0]
            var stored = [Float](repeating: .nan, count: k), unpacked = [Float](repeating: .nan, count: k)
            for r in 0..<rows {
                stored.withUnsafeMutableBufferPointer { w.dequantizeRow(r, into: $0.baseAddress!) }
                unpacked.withUnsafeMutableBufferPointer { packed.dequantizeRow(r, into: $0.baseAddress!) }
                #expect(!stored.contains { $0.isNaN } && stored == unpacked, "\(dtype) rows=\(rows) k=\(k) row \(r)")
            }
        }
    }

    @Test(arguments: int8Types)
    func int8ProductsDoNotDependOnBatchOrThreads(dtype: DType) throws {
        var rng = SeededRandom(seed: 29)
        let k = 160, m = 13
        let (w, raw) = try KernelTests.randomMatrix(dtype, rows: 45, k: k, rng: &rng)
        defer { raw.deallocate() }
        let x = Self.randomRows(m * k, rng: &rng)
        let batched = Self.run(w, Self.quantize(x, cols: k, m: m), m: m, pool: KernelTests.pool3)
        #expect(Self.run(w, Self.quantize(x, cols: k, m: m), m: m, pool: KernelTests.pool1) == batched)
        for j in [0, 4, 5, 12] {
            let single = Self.run(w, Self.quantize(Array(x[(j * k)..<((j + 1) * k)]), cols: k, m: 1), m: 1, pool: KernelTests.pool1)
            #expect(single == Array(batched[(j * w.rows)..<((j + 1) * w.rows)]), "row \(j)")
        }
    }

    @Test func siluMatchesDefinitionAndDoesNotDependOnLength() {
        var rng = SeededRandom(seed: 31)
        let n = 203
        let gate = (0..<n).map { _ in Float(rng.nextUnit() * 40 - 20) }, up = Self.randomRows(n, rng: &rng)
        var all = gate
        Activations.siluMultiply(&all, up, n)
        for i in 0..<n {
            let g = Double(gate[i])
            let want = g / (1 + Foundation.exp(-g)) * Double(up[i])
            #expect(abs(Double(all[i]) - want) <= 1e-6 * max(abs(want), 1e-30), "element \(i)")
            var one = [gate[i]]
            Activations.siluMultiply(&one, [up[i]], 1)
            #expect(one[0] == all[i], "element \(i) alone")
        }
    }

    @Test func roundingToF16MatchesSwiftFloat16() {
        var rng = SeededRandom(seed: 37)
        var x = Self.randomRows(77, rng: &rng).map { $0 * 3000 } + [0, -0, 70_000, 1e-8, 6e-5]
        let want = x.map { Float(Float16($0)) }
        ck_round_to_f16(&x, Int32(x.count))
        #expect(x == want)
    }

    /// Causal GQA attention against an f64 softmax, for key counts around the vector widths.
    @Test func attentionMatchesReference() {
        var rng = SeededRandom(seed: 41)
        let heads = 6, kvHeads = 2, hd = 24, stride = kvHeads * hd
        for keys in [1, 3, 8, 13, 40, 301] {
            let q = Self.randomRows(heads * hd, rng: &rng)
            let k = Self.randomRows(keys * stride, rng: &rng), v = Self.randomRows(keys * stride, rng: &rng)
            var out = [Float](repeating: .nan, count: heads * hd), scores = [Float](repeating: 0, count: keys)
            let scale = 1 / Float(hd).squareRoot()
            ck_attention(q, k, v, stride, Int32(keys), Int32(heads), Int32(kvHeads), Int32(hd), scale, 0, Int32(heads), &out, &scores)
            var worst = 0.0
            for h in 0..<heads {
                let kv = h / (heads / kvHeads) * hd
                let s = (0..<keys).map { j in (0..<hd).reduce(0.0) { $0 + Double(q[h * hd + $1]) * Double(k[j * stride + kv + $1]) } * Double(scale) }
                let mx = s.max() ?? 0
                let e = s.map { Foundation.exp($0 - mx) }, total = e.reduce(0, +)
                for d in 0..<hd {
                    let want = (0..<keys).reduce(0.0) { $0 + e[$1] / total * Double(v[$1 * stride + kv + d]) }
                    worst = max(worst, abs(Double(out[h * hd + d]) - want))
                }
            }
            #expect(worst < 1e-5, "\(keys) keys: largest difference \(worst)")
        }
    }

    /// Attention over an f16 cache is attention over the f16-rounded values: equal bits.
    @Test func f16AttentionEqualsF32AttentionOnRoundedValues() {
        var rng = SeededRandom(seed: 43)
        let heads = 6, kvHeads = 2, hd = 32, stride = kvHeads * hd
        for keys in [1, 5, 9, 77] {
            let q = Self.randomRows(heads * hd, rng: &rng)
            var k = Self.randomRows(keys * stride, rng: &rng), v = Self.randomRows(keys * stride, rng: &rng)
            var kHalf = [UInt16](repeating: 0, count: k.count), vHalf = kHalf
            ck_f32_to_f16_row(k, &kHalf, Int32(k.count))
            ck_f32_to_f16_row(v, &vHalf, Int32(v.count))
            #expect(kHalf == k.map { Float16($0).bitPattern })
            ck_round_to_f16(&k, Int32(k.count))
            ck_round_to_f16(&v, Int32(v.count))
            var want = [Float](repeating: .nan, count: heads * hd), got = want, scores = [Float](repeating: 0, count: keys)
            ck_attention(q, k, v, stride, Int32(keys), Int32(heads), Int32(kvHeads), Int32(hd), 0.2, 0, Int32(heads), &want, &scores)
            ck_attention_f16(q, kHalf, vHalf, stride, Int32(keys), Int32(heads), Int32(kvHeads), Int32(hd), 0.2, 0, Int32(heads), &got, &scores)
            #expect(got == want, "\(keys) keys")
        }
    }

    /// The blocked prefill kernel gives every (row, head) the bits of the one-row kernel, for f32
    /// and f16 caches, head sizes with and without a 16-wide tail, and GQA groups of 1, 3 and 4.
    @Test func blockedAttentionEqualsOneRowAttention() {
        var rng = SeededRandom(seed: 47)
        for (heads, kvHeads, hd) in [(6, 2, 64), (4, 4, 24), (8, 2, 32)] {
            let stride = kvHeads * hd, group = heads / kvHeads
            for (rows, firstKeys) in [(1, 1), (2, 1), (7, 3), (11, 40)] {
                let keys = firstKeys + rows - 1
                let q = Self.randomRows(rows * heads * hd, rng: &rng)
                var k = Self.randomRows(keys * stride, rng: &rng), v = Self.randomRows(keys * stride, rng: &rng)
                ck_round_to_f16(&k, Int32(k.count))
                ck_round_to_f16(&v, Int32(v.count))
                let kHalf = k.map { Float16($0).bitPattern }, vHalf = v.map { Float16($0).bitPattern }
                for half in [false, true] {
                    var want = [Float](repeating: .nan, count: rows * heads * hd), got = want
                    var scores = [Float](repeating: 0, count: 16 * (keys + 8))
                    for r in 0..<rows {
                        q.withUnsafeBufferPointer { qb in
                            want.withUnsafeMutableBufferPointer { wb in
                                let qr = qb.baseAddress! + r * heads * hd, out = wb.baseAddress! + r * heads * hd
                                if half {
                                    ck_attention_f16(qr, kHalf, vHalf, stride, Int32(firstKeys + r), Int32(heads), Int32(kvHeads),
                                                     Int32(hd), 0.3, 0, Int32(heads), out, &scores)
                                } else {
                                    ck_attention(qr, k, v, stride, Int32(firstKeys + r), Int32(heads), Int32(kvHeads), Int32(hd),
                                                 0.3, 0, Int32(heads), out, &scores)
                                }
                            }
                        }
                    }
                    for g in 0..<kvHeads {
                        if half {
                            ck_attention_rows(q, heads * hd, Int32(rows), Int32(firstKeys), kHalf, vHalf, 1, stride, Int32(heads),
                                              Int32(kvHeads), Int32(hd), 0.3, Int32(g), &got, heads * hd, &scores)
                        } else {
                            ck_attention_rows(q, heads * hd, Int32(rows), Int32(firstKeys), k, v, 0, stride, Int32(heads),
                                              Int32(kvHeads), Int32(hd), 0.3, Int32(g), &got, heads * hd, &scores)
                        }
                    }
                    #expect(got == want, "heads \(heads)/\(kvHeads) (group \(group)) hd \(hd) rows \(rows) first \(firstKeys) f16 \(half)")
                }
            }
        }
    }
}
