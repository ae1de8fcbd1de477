import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Keys and values of every layer for the positions a sequence has seen, `[position, kvDim]` per
/// layer, in f32 or f16.
///
/// The first `reserve` maps address space for the model's whole context at once (anonymous,
/// `MAP_NORESERVE`): pages become resident only as positions are written, so a cache costs what
/// it holds, never grows by copying, and never holds zero-filled capacity ahead of use.
public final class LlamaKVCache: @unchecked Sendable {
    public let layerCount: Int
    public let kvDim: Int
    /// Elements stored as f16 rather than f32.
    public let halfPrecision: Bool
    /// Positions stored so far.
    public internal(set) var length = 0
    /// Positions the reservation holds (the model's context length once reserved, else 0).
    public private(set) var capacity = 0
    private let maxPositions: Int
    private var region: UnsafeMutableRawPointer?
    private var regionBytes = 0
    /// Bytes from one layer's keys to its values (and from one layer to the next, twice that).
    private var stride = 0

    init(config: LlamaConfig, halfPrecision: Bool) {
        layerCount = config.layerCount
        kvDim = config.kvDim
        maxPositions = config.maxPositions
        self.halfPrecision = halfPrecision
    }

    deinit { if let region { munmap(region, regionBytes) } }

    /// Forgets positions from `length` on (e.g. to reuse a shared prompt prefix).
    public func truncate(to length: Int) { self.length = max(0, min(length, self.length)) }

    private var elementBytes: Int { halfPrecision ? 2 : 4 }

    /// Makes room for `positions` positions (at most the model's context length).
    func reserve(_ positions: Int) throws(EngineError) {
        guard positions > capacity else { return }
        let page = 4096
        let layerBytes = (maxPositions * kvDim * elementBytes + page - 1) / page * page
        let bytes = 2 * layerCount * layerBytes
        guard let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
              p != MAP_FAILED else {
            throw .invalidArgument("cannot reserve \(bytes >> 20) MiB of address space for a KV cache of \(maxPositions) positions")
        }
        // Written a position at a time: small pages keep residency close to what is stored.
        _ = madvise(p, bytes, MADV_NOHUGEPAGE)
        region = p
        regionBytes = bytes
        stride = layerBytes
        capacity = maxPositions
    }

    private func key(_ layer: Int) -> UnsafeMutableRawPointer { region.unsafelyUnwrapped + 2 * layer * stride }
    private func value(_ layer: Int) -> UnsafeMutableRawPointer { key(layer) + stride }

    func store(layer: Int, position: Int, key k: UnsafePointer<Float>, value v: UnsafePointer<Float>) {
        let offset = position * kvDim * elementBytes
        let kd = key(layer) + offset, vd = value(layer) + offset
        if halfPrecision {
            ck_f32_to_f16_row(k, kd.assumingMemoryBound(to: UInt16.self), Int32(kvDim))
            ck_f32_to_f16_row(v, vd.assumingMemoryBound(to: UInt16.self), Int32(kvDim))
        } else {
            kd.copyMemory(from: k, byteCount: kvDim * 4)
            vd.copyMemory(from: v, byteCount: kvDim * 4)
        }
    }

    func keys(layer: Int) -> UnsafeRawPointer { UnsafeRawPointer(key(layer)) }
    func values(layer: Int) -> UnsafeRawPointer { UnsafeRawPointer(value(layer)) }
}
