/// A pickle reader that only rebuilds what `torch.save(state_dict)` writes.
///
/// Matches: CPython `Lib/pickle.py` / `pickletools.py` opcode semantics for protocols 2–4,
/// restricted like `torch.load(weights_only=True)`: GLOBAL / STACK_GLOBAL names are checked
/// against `PickleAllowList` and REDUCE interprets only those; no object is ever instantiated.
struct RestrictedUnpickler {
    let bytes: UnsafeRawBufferPointer
    /// Names the file (and zip entry) in errors.
    let path: String
    private var at = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    /// Keeps every container; the caller keeps the unpickler alive while it reads the result.
    let arena = PickleArena()

    init(bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    mutating func load() throws(EngineError) -> PickleValue {
        while true {
            let opAt = at
            let op = try byte()
            switch op {
            case 0x80: _ = try byte()                                   // PROTO
            case 0x95: _ = try take(8)                                  // FRAME
            case 0x2e: return try pop(opAt)                             // STOP
            case 0x28: marks.append(stack.count)                        // MARK
            case 0x30: _ = try pop(opAt)                                // POP
            case 0x31: _ = try popMark(opAt)                            // POP_MARK
            case 0x32: stack.append(try top(opAt))                      // DUP
            case 0x4e: stack.append(.none)                              // NONE
            case 0x88: stack.append(.bool(true))                        // NEWTRUE
            case 0x89: stack.append(.bool(false))                       // NEWFALSE
            case 0x4a: stack.append(.int(Int(Int32(truncatingIfNeeded: try uint(4)))))  // BININT
            case 0x4b: stack.append(.int(try uint(1)))                  // BININT1
            case 0x4d: stack.append(.int(try uint(2)))                  // BININT2
            case 0x8a: stack.append(.int(try long(try uint(1), opAt)))  // LONG1
            case 0x8b: stack.append(.int(try long(try uint(4), opAt)))  // LONG4
            case 0x47: stack.append(.float(Double(bitPattern: try bigEndian64())))  // BINFLOAT
            case 0x58: stack.append(.string(try text(try uint(4))))     // BINUNICODE
            case 0x8c: stack.append(.string(try text(try uint(1))))     // SHORT_BINUNICODE
            case 0x8d: stack.append(.string(try text(try uint(8))))     // BINUNICODE8
            case 0x54: stack.append(.string(try text(try uint(4))))     // BINSTRING
            case 0x55: stack.append(.string(try text(try uint(1))))     // SHORT_BINSTRING
            case 0x42: stack.append(.bytes(Array(try take(try uint(4)))))  // BINBYTES
            case 0x43: stack.append(.bytes(Array(try take(try uint(1)))))  // SHORT_BINBYTES
            case 0x29: stack.append(.tuple(tuple([])))                  // EMPTY_TUPLE
            case 0x74: stack.append(.tuple(tuple(try popMark(opAt))))   // TUPLE
            case 0x85, 0x86, 0x87:                                      // TUPLE1..3
                let n = Int(op - 0x84)
                guard stack.count >= n else { throw malformed("stack underflow", opAt) }
                let items = Array(stack.suffix(n))
                stack.removeLast(n)
                stack.append(.tuple(tuple(items)))
            case 0x7d: stack.append(.dict(box(PickleDict())))           // EMPTY_DICT
            case 0x64:                                                  // DICT
                let dict = box(PickleDict())
                try Self.setItems(dict, try popMark(opAt), malformed("odd number of dict items", opAt))
                stack.append(.dict(dict))
            case 0x5d: stack.append(.list(box(PickleList())))           // EMPTY_LIST
            case 0x6c:                                                  // LIST
                let list = box(PickleList())
                list.items = try popMark(opAt)
                stack.append(.list(list))
            case 0x73, 0x75:                                            // SETITEM, SETITEMS
                let items: [PickleValue]
                if op == 0x73 {
                    let value = try pop(opAt)
                    items = [try pop(opAt), value]
                } else {
                    items = try popMark(opAt)
                }
                guard case .dict(let dict) = try top(opAt) else { throw malformed("SETITEMS target is not a dict", opAt) }
                try Self.setItems(dict, items, malformed("odd number of dict items", opAt))
            case 0x61, 0x65:                                            // APPEND, APPENDS
                let items = op == 0x61 ? [try pop(opAt)] : try popMark(opAt)
                guard case .list(let list) = try top(opAt) else { throw malformed("APPENDS target is not a list", opAt) }
                list.items += items
            case 0x71: memo[try uint(1)] = try top(opAt)                // BINPUT
            case 0x72: memo[try uint(4)] = try top(opAt)                // LONG_BINPUT
            case 0x94: memo[memo.count] = try top(opAt)                 // MEMOIZE
            case 0x68, 0x6a:                                            // BINGET, LONG_BINGET
                let key = try uint(op == 0x68 ? 1 : 4)
                guard let value = memo[key] else { throw malformed("memo key \(key) not set", opAt) }
                stack.append(value)
            case 0x63:                                                  // GLOBAL
                let module = try line(opAt)
                stack.append(try global(module, try line(opAt), opAt))
            case 0x93:                                                  // STACK_GLOBAL
                guard case .string(let name) = try pop(opAt), case .string(let module) = try pop(opAt) else {
                    throw malformed("STACK_GLOBAL needs two strings", opAt)
                }
                stack.append(try global(module, name, opAt))
            case 0x51: stack.append(try persistent(try pop(opAt), opAt))  // BINPERSID
            case 0x52:                                                  // REDUCE
                let args = try pop(opAt)
                stack.append(try reduce(try pop(opAt), args, opAt))
            case 0x62: _ = try pop(opAt)                                // BUILD: attributes such as `_metadata` are not needed
            case 0x81, 0x92, 0x69, 0x6f:
                throw .file(path, "pickle instantiates an object (opcode 0x\(String(op, radix: 16)) at byte \(opAt)); refused")
            default:
                throw .file(path, "unsupported pickle opcode 0x\(String(op, radix: 16)) at byte \(opAt)")
            }
        }
    }

    // MARK: - Interpretation of the allowed globals

    private func global(_ module: String, _ name: String, _ opAt: Int) throws(EngineError) -> PickleValue {
        guard PickleAllowList.allows(module: module, name: name) else {
            throw .file(path, "refused pickle global `\(module).\(name)` at byte \(opAt): only tensor-rebuilding globals are allowed, nothing was executed")
        }
        return .global(module: module, name: name)
    }

    private func persistent(_ pid: PickleValue, _ opAt: Int) throws(EngineError) -> PickleValue {
        guard case .tuple(let t) = pid, case let f = t.items, f.count >= 3, case .string("storage") = f[0],
              case .global("torch", let typeName) = f[1], case .string(let key) = f[2]
        else { throw malformed("persistent id is not a torch storage reference", opAt) }
        return .storage(TorchStorageRef(typeName: typeName, key: key))
    }

    private func reduce(_ callable: PickleValue, _ args: PickleValue, _ opAt: Int) throws(EngineError) -> PickleValue {
        guard case .global(let module, let name) = callable, case .tuple(let t) = args, case let a = t.items else {
            throw malformed("REDUCE needs an allowed global and an argument tuple", opAt)
        }
        switch "\(module).\(name)" {
        case "collections.OrderedDict":
            let dict = box(PickleDict())
            if case .list(let pairs)? = a.first {
                for case .tuple(let kv) in pairs.items where kv.items.count == 2 { dict.items.append((kv.items[0], kv.items[1])) }
            }
            return .dict(dict)
        case "torch._utils._rebuild_tensor_v2":
            guard a.count >= 4, case .storage(let storage) = a[0], case .int(let offset) = a[1],
                  let shape = Self.ints(a[2]), let stride = Self.ints(a[3])
            else { throw malformed("bad _rebuild_tensor_v2 arguments", opAt) }
            return .tensor(TorchTensorRef(storage: storage, offset: offset, shape: shape, stride: stride))
        case "torch._utils._rebuild_parameter":
            guard let data = a.first else { throw malformed("bad _rebuild_parameter arguments", opAt) }
            return data
        default:
            throw .file(path, "refused call of `\(module).\(name)` at byte \(opAt)")
        }
    }

    private static func ints(_ value: PickleValue) -> [Int]? {
        guard case .tuple(let tuple) = value else { return nil }
        let items = tuple.items
        var out: [Int] = []
        for case .int(let i) in items { out.append(i) }
        return out.count == items.count ? out : nil
    }

    private static func setItems(_ dict: PickleDict, _ items: [PickleValue], _ error: EngineError) throws(EngineError) {
        guard items.count % 2 == 0 else { throw error }
        for i in stride(from: 0, to: items.count, by: 2) { dict.items.append((items[i], items[i + 1])) }
    }

    // MARK: - Containers, stack and byte access

    private func box<Container: PickleContainer>(_ container: Container) -> Container {
        arena.boxes.append(container)
        return container
    }

    private func tuple(_ items: [PickleValue]) -> PickleTuple { box(PickleTuple(items)) }

    private func malformed(_ what: String, _ opAt: Int) -> EngineError {
        .file(path, "malformed pickle at byte \(opAt): \(what)")
    }

    private mutating func pop(_ opAt: Int) throws(EngineError) -> PickleValue {
        guard let v = stack.popLast(), stack.count >= (marks.last ?? 0) else { throw malformed("stack underflow", opAt) }
        return v
    }

    private func top(_ opAt: Int) throws(EngineError) -> PickleValue {
        guard let v = stack.last else { throw malformed("stack underflow", opAt) }
        return v
    }

    private mutating func popMark(_ opAt: Int) throws(EngineError) -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw malformed("no MARK", opAt) }
        let items = Array(stack[mark...])
        stack.removeLast(stack.count - mark)
        return items
    }

    private mutating func take(_ n: Int) throws(EngineError) -> UnsafeRawBufferPointer {
        guard n >= 0, n <= bytes.count - at else { throw .file(path, "pickle is truncated at byte \(at)") }
        defer { at += n }
        return UnsafeRawBufferPointer(rebasing: bytes[at..<(at + n)])
    }

    private mutating func byte() throws(EngineError) -> UInt8 { try take(1)[0] }

    /// An unsigned little-endian integer of `n` ≤ 8 bytes that must fit an `Int`.
    private mutating func uint(_ n: Int) throws(EngineError) -> Int {
        let b = try take(n)
        var v: UInt64 = 0
        for i in (0..<n).reversed() { v = v << 8 | UInt64(b[i]) }
        guard let i = Int(exactly: v) else { throw .file(path, "pickle length too large at byte \(at - n)") }
        return i
    }

    /// LONG1/LONG4: two's-complement little-endian of `n` bytes.
    private mutating func long(_ n: Int, _ opAt: Int) throws(EngineError) -> Int {
        guard n <= 8 else { throw malformed("integer wider than 64 bits", opAt) }
        let b = try take(n)
        guard n > 0 else { return 0 }
        var v: UInt64 = (b[n - 1] & 0x80) != 0 ? ~0 : 0
        for i in (0..<n).reversed() { v = v << 8 | UInt64(b[i]) }
        return Int(Int64(bitPattern: v))
    }

    private mutating func bigEndian64() throws(EngineError) -> UInt64 {
        let b = try take(8)
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(b[i]) }
        return v
    }

    private mutating func text(_ n: Int) throws(EngineError) -> String {
        String(decoding: try take(n), as: UTF8.self)
    }

    /// A newline-terminated name of the text GLOBAL opcode.
    private mutating func line(_ opAt: Int) throws(EngineError) -> String {
        guard let end = bytes[at...].firstIndex(of: 0x0a) else { throw malformed("unterminated GLOBAL name", opAt) }
        let s = try text(end - at)
        at += 1
        return s
    }
}
