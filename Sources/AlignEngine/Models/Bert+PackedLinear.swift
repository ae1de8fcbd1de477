import CKernels

/// A dense layer `y = x·Wᵀ + b` of an encoder layer, with W packed once at load for
/// `ck_bert_linear` (panels of 16 outputs). The packed kernel sums every output in k order
/// whatever the rows it is given, so splitting a batch into row chunks on the worker pool, or
/// embedding a sentence alone, gives bit-identical rows.
struct BertPackedLinear: @unchecked Sendable {
    let outputs: Int
    let inputs: Int
    private let packed: Storage
    let bias: BertTensor

    /// Owns the packed weights, 64-byte aligned so each panel row of 16 floats is one cache line.
    final class Storage: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Float>

        init(count: Int) {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
            pointer = raw.initializeMemory(as: Float.self, repeating: 0, count: max(count, 1))
        }

        deinit { pointer.deallocate() }
    }

    init(_ layer: BertLinear) {
        outputs = layer.outputs
        inputs = layer.inputs
        packed = Storage(count: ck_bert_packed_count(Int32(outputs), Int32(inputs)))
        ck_bert_pack(layer.weight.values, Int32(outputs), Int32(inputs), packed.pointer)
        bias = layer.bias
    }

    /// `y[r, 0..<outputs] = x[r, 0..<inputs]·Wᵀ + b` for `rows` rows, rows `ldx` and `ldy` floats apart.
    func apply(_ x: UnsafePointer<Float>, ldx: Int? = nil, rows: Int, into y: UnsafeMutablePointer<Float>, ldy: Int? = nil) {
        ck_bert_linear(x, ldx ?? inputs, Int32(rows), packed.pointer, bias.values, Int32(outputs), Int32(inputs),
                       y, ldy ?? outputs)
    }
}
