/// Activation buffers of one forward pass, reused across passes and grown when a pass needs more
/// rows or attends over more keys.
final class LlamaWorkspace {
    private(set) var rows = 0
    private(set) var keysCapacity = 0
    private var buffers: [FloatBuffer] = []
    private var scoreBuffer = FloatBuffer(count: 0)
    private var quantizedBuffer = FloatBuffer(count: 0)

    var x: UnsafeMutablePointer<Float> { buffers[0].pointer }
    var xn: UnsafeMutablePointer<Float> { buffers[1].pointer }
    var q: UnsafeMutablePointer<Float> { buffers[2].pointer }
    var k: UnsafeMutablePointer<Float> { buffers[3].pointer }
    var v: UnsafeMutablePointer<Float> { buffers[4].pointer }
    var attention: UnsafeMutablePointer<Float> { buffers[5].pointer }
    var projection: UnsafeMutablePointer<Float> { buffers[6].pointer }
    var gate: UnsafeMutablePointer<Float> { buffers[7].pointer }
    var up: UnsafeMutablePointer<Float> { buffers[8].pointer }
    var rope: UnsafeMutablePointer<Float> { buffers[9].pointer }
    /// Activation rows quantized for the int8 kernels (room for `rows` rows of the widest input).
    var quantized: UnsafeMutableRawPointer { UnsafeMutableRawPointer(quantizedBuffer.pointer) }
    /// One `scoresPerPart` slice of attention scores per pool thread.
    var scores: UnsafeMutablePointer<Float> { scoreBuffer.pointer }
    /// Room for `ck_attention_rows`: 16 query vectors over the keys of a block of up to 8 rows.
    var scoresPerPart: Int { 16 * (keysCapacity + 8) }

    func prepare(config c: LlamaConfig, rows m: Int, keys: Int, threads: Int) -> LlamaWorkspace {
        if m > rows {
            let widths = [c.hiddenSize, c.hiddenSize, c.qDim, c.kvDim, c.kvDim, c.qDim, c.hiddenSize,
                          c.intermediateSize, c.intermediateSize, c.ropeDim]
            let newRows = max(m, rows * 2)
            buffers = widths.map { FloatBuffer(count: $0 * newRows) }
            let widest = max(c.hiddenSize, c.qDim, c.intermediateSize)
            quantizedBuffer = FloatBuffer(count: QuantizedMatrix.quantizedRowBytes(widest) / 4 * newRows)
            rows = newRows
        }
        if keys > keysCapacity || scoreBuffer.count < scoresPerPart * threads {
            keysCapacity = max(keys, keysCapacity * 2, 256)
            scoreBuffer = FloatBuffer(count: scoresPerPart * threads)
        }
        return self
    }
}
