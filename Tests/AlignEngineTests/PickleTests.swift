import Testing
@testable import AlignEngine

@Suite struct PickleTests {
    /// Unpickles `bytes` and hands the result to `inspect` while the unpickler's arena is alive.
    @discardableResult
    func load<R>(_ bytes: [UInt8], _ inspect: (PickleValue) -> R = { _ in () }) throws -> R {
        try bytes.withUnsafeBytes { raw in
            var unpickler = RestrictedUnpickler(bytes: raw, path: "test.pkl")
            let value = try unpickler.load()
            return withExtendedLifetime(unpickler) { inspect(value) }
        }
    }

    func loadError(_ bytes: [UInt8]) -> String { errorText { _ = try load(bytes) } }

    /// A million nested tuples (and lists) are freed without recursing once per level.
    @Test func deepNestingDoesNotOverflowTheStack() throws {
        let depth = 1_000_000
        var tuples: [UInt8] = [0x80, 0x02, 0x29] + [UInt8](repeating: 0x85, count: depth) + [0x2e]
        #expect(errorText { _ = try load(tuples) } == "")
        // EMPTY_LIST, then (EMPTY_LIST, DUP, BINPUT 0, APPEND... ) builds a chain through the memo.
        var lists: [UInt8] = [0x80, 0x02, 0x5d, 0x71, 0x00]
        for _ in 0..<depth { lists += [0x68, 0x00, 0x5d, 0x71, 0x00, 0x61, 0x30] }
        lists += [0x2e]
        #expect(errorText { _ = try load(lists) } == "")
        tuples[3] = 0xff
        #expect(loadError(tuples).contains("unsupported pickle opcode"))
    }

    @Test func containersAndScalars() throws {
        // Python: pickle.dumps({'a': [1, -2, 300, 70000, True, None, 1.5]}, protocol=2)
        let bytes: [UInt8] = [0x80, 0x02, 0x7d, 0x71, 0x00, 0x58, 0x01, 0x00, 0x00, 0x00, 0x61, 0x71, 0x01, 0x5d, 0x71, 0x02,
                              0x28, 0x4b, 0x01, 0x4a, 0xfe, 0xff, 0xff, 0xff, 0x4d, 0x2c, 0x01, 0x4a, 0x70, 0x11, 0x01, 0x00,
                              0x88, 0x4e, 0x47, 0x3f, 0xf8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x65, 0x73, 0x2e]
        let rendered: [String] = try load(bytes) { value in
            guard case .dict(let dict) = value, case .string("a") = dict.items.first?.key,
                  case .list(let list)? = dict.items.first?.value else { return ["not a dict of a list"] }
            return list.items.map { v -> String in
                switch v {
                case .int(let i): "\(i)"
                case .bool(let b): "\(b)"
                case .none: "None"
                case .float(let d): "\(d)"
                default: "?"
                }
            }
        }
        #expect(rendered == ["1", "-2", "300", "70000", "true", "None", "1.5"])
    }

    @Test func memoSharesTheSameDict() throws {
        // EMPTY_DICT, BINPUT 0, BINGET 0, 'k', 'v', SETITEM, POP, STOP: the remaining dict saw the SETITEM.
        let bytes: [UInt8] = [0x80, 0x02, 0x7d, 0x71, 0x00, 0x68, 0x00, 0x8c, 0x01, 0x6b, 0x8c, 0x01, 0x76, 0x73, 0x30, 0x2e]
        let count: Int = try load(bytes) { value in
            if case .dict(let dict) = value { dict.items.count } else { -1 }
        }
        #expect(count == 1)
    }

    @Test(arguments: [
        ("os\nsystem\n", "`os.system`"),
        ("builtins\neval\n", "`builtins.eval`"),
        ("subprocess\nPopen\n", "`subprocess.Popen`"),
        ("torch\nload\n", "`torch.load`"),
        ("torch._utils\n_rebuild_qtensor\n", "`torch._utils._rebuild_qtensor`"),
    ])
    func globalsOutsideTheAllowListAreRefused(global: String, named: String) {
        let bytes: [UInt8] = [0x80, 0x02, 0x63] + Array(global.utf8) + [0x29, 0x52, 0x2e]
        let message = loadError(bytes)
        #expect(message.contains("refused pickle global \(named)"), "\(message)")
    }

    @Test func stackGlobalIsCheckedToo() {
        let bytes: [UInt8] = [0x80, 0x04, 0x8c, 0x02, 0x6f, 0x73, 0x8c, 0x06] + Array("system".utf8) + [0x93, 0x2e]
        #expect(loadError(bytes).contains("`os.system`"))
    }

    @Test func objectConstructionIsRefused() {
        let bytes: [UInt8] = [0x80, 0x02, 0x63] + Array("collections\nOrderedDict\n".utf8) + [0x29, 0x81, 0x2e]
        #expect(loadError(bytes).contains("instantiates an object"))
    }

    @Test(arguments: [
        ([0x80, 0x02, 0x58, 0xff, 0xff, 0xff, 0x7f, 0x61], "truncated"),
        ([0x80, 0x02, 0x2e], "stack underflow"),
        ([0x80, 0x02, 0x74, 0x2e], "no MARK"),
        ([0x80, 0x02, 0x68, 0x05, 0x2e], "memo key 5"),
        ([0x80, 0x02, 0x63, 0x6f, 0x73], "unterminated"),
        ([0x80, 0x02, 0xff, 0x2e], "unsupported pickle opcode 0xff"),
        ([0x80, 0x02, 0x4b, 0x01, 0x4b, 0x02, 0x52, 0x2e], "REDUCE"),
        ([0x80, 0x02], "truncated"),
    ] as [([UInt8], String)])
    func malformedPicklesAreErrors(bytes: [UInt8], expected: String) {
        let message = loadError(bytes)
        #expect(message.contains("test.pkl") && message.contains(expected), "\(message)")
    }
}
