/// A value rebuilt by the restricted unpickler. Nothing here can run code: globals are kept
/// as names, and only the few callables that rebuild tensors are ever interpreted.
public indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple(PickleTuple)
    case list(PickleList)
    case dict(PickleDict)
    /// A class or function named by GLOBAL / STACK_GLOBAL (already checked against the allow-list).
    case global(module: String, name: String)
    /// A storage reference from BINPERSID: `('storage', <Storage type>, key, location, numel)`.
    case storage(TorchStorageRef)
    /// A tensor from `torch._utils._rebuild_tensor_v2`.
    case tensor(TorchTensorRef)
}

/// Containers are boxes shared by reference, as in Python, so SETITEMS on a memoised dict is
/// seen by every reference to it. Every box is also kept by the unpickler's `PickleArena`.
protocol PickleContainer: AnyObject {
    /// Drops the items (see `PickleArena`).
    func clear()
}

public final class PickleDict: PickleContainer {
    public var items: [(key: PickleValue, value: PickleValue)] = []
    func clear() { items = [] }
}

public final class PickleList: PickleContainer {
    public var items: [PickleValue] = []
    func clear() { items = [] }
}

public final class PickleTuple: PickleContainer {
    public private(set) var items: [PickleValue]
    init(_ items: [PickleValue]) { self.items = items }
    func clear() { items = [] }
}

/// Owns every container a pickle built. A hostile pickle can nest containers a million deep;
/// freeing such a chain box by box would recurse once per level and overflow the stack. The
/// arena empties every box first, while all of them are still alive, so no release recurses.
final class PickleArena {
    var boxes: [any PickleContainer] = []

    deinit { for box in boxes { box.clear() } }
}

/// `torch.<Type>Storage` as named in a persistent id.
public struct TorchStorageRef {
    public let typeName: String
    /// The zip entry `data/<key>` holding the bytes.
    public let key: String
}

/// What `_rebuild_tensor_v2(storage, offset, size, stride, …)` describes: a strided view into
/// a storage, in elements.
public struct TorchTensorRef {
    public let storage: TorchStorageRef
    public let offset: Int
    public let shape: [Int]
    public let stride: [Int]
}

/// The globals a PyTorch state dict may reference. Anything else — `os.system`,
/// `builtins.eval`, `subprocess.Popen`, any user class — is refused when the GLOBAL opcode is
/// read, so a malicious file fails before a single value is built.
enum PickleAllowList {
    static let callables: Set<String> = [
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
    ]
    /// Storage classes and the element types they hold (nil: recognised but not computable).
    static let storages: [String: DType?] = [
        "FloatStorage": .f32, "HalfStorage": .f16, "BFloat16Storage": .bf16,
        "DoubleStorage": nil, "LongStorage": nil, "IntStorage": nil, "ShortStorage": nil,
        "CharStorage": nil, "ByteStorage": nil, "BoolStorage": nil,
    ]
    static let storageBytes: [String: Int] = [
        "FloatStorage": 4, "HalfStorage": 2, "BFloat16Storage": 2, "DoubleStorage": 8, "LongStorage": 8,
        "IntStorage": 4, "ShortStorage": 2, "CharStorage": 1, "ByteStorage": 1, "BoolStorage": 1,
    ]

    static func allows(module: String, name: String) -> Bool {
        if callables.contains("\(module).\(name)") { return true }
        return module == "torch" && storages[name] != nil
    }
}
