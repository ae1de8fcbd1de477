/// Activation buffers of one forward pass, reused across passes and grown when a pass needs more
/// rows or attends over more keys.
///
/// The attention block's q, k, v and attention rows and the feed-forward block's gate and up rows
/// are never live at the same time (the attention block is finished, its result added into `x`,
/// before the feed-forward block starts), so both sets share one region: it saves a quarter of the
/// workspace, most of it on models whose feed-forward is wide.
final class LlamaWorkspace {
    private(set) var rows = 0
    private(set) var keysCapacity = 0
    private var residual = FloatBuffer(count: 0)
    private var normed = FloatBuffer(count: 0)
    private var projected = FloatBuffer(count: 0)
    private var ropeAngles = FloatBuffer(count: 0)
    /// q | k | v | attention during attention, gate | up during the feed-forward block.
    private var blockScratch = FloatBuffer(count: 0)
    private var scoreBuffer = FloatBuffer(count: 0)
    private var quantizedBuffer = FloatBuffer(count: 0)
    private var qDim = 0, kvDim = 0, intermediate = 0

    var x: UnsafeMutablePointer<Float> { residual.pointer }
    var xn: UnsafeMutablePointer<Float> { normed.pointer }
    var projection: UnsafeMutablePointer<Float> { projected.pointer }
    var rope: UnsafeMutablePointer<Float> { ropeAngles.pointer }
    var q: UnsafeMutablePointer<Float> { blockScratch.pointer }
    var k: UnsafeMutablePointer<Float> { q + rows * qDim }
    var v: UnsafeMutablePointer<Float> { k + rows * kvDim }
    var attention: UnsafeMutablePointer<Float> { v + rows * kvDim }
    var gate: UnsafeMutablePointer<Float> { blockScratch.pointer }
    var up: UnsafeMutablePointer<Float> { gate + rows * intermediate }
    /// Activation rows quantized for the int8 kernels (room for `rows` rows of the widest input).
    var quantized: UnsafeMutableRawPointer { UnsafeMutableRawPointer(quantizedBuffer.pointer) }
    /// One `scoresPerPart` slice of attention scores per pool thread.
    var scores: UnsafeMutablePointer<Float> { scoreBuffer.pointer }
    /// Room for `ck_attention_rows`: 16 query vectors over the keys of a block of up to 8 rows.
    var scoresPerPart: Int { 16 * (keysCapacity + 8) }

    func prepare(config c: LlamaConfig, rows m: Int, keys: Int, threads: Int) -> LlamaWorkspace {
        if m > rows {
            let newRows = max(m, rows * 2)
            (qDim, kvDim, intermediate) = (c.qDim, c.kvDim, c.intermediateSize)
            residual = FloatBuffer(count: c.hiddenSize * newRows)
            normed = FloatBuffer(count: c.hiddenSize * newRows)
            projected = FloatBuffer(count: c.hiddenSize * newRows)
            ropeAngles = FloatBuffer(count: c.ropeDim * newRows)
            blockScratch = FloatBuffer(count: max(2 * c.qDim + 2 * c.kvDim, 2 * c.intermediateSize) * newRows)
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
