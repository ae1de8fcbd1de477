import Foundation
import Testing
@testable import AlignEngine

@Suite struct SafetensorsTests {
    @Test func tinyLlamaF16MatchesTransformers() throws {
        let store = try SafetensorsFile(path: TinyLlamaFixtures.path("llama-safetensors/model.safetensors"))
        #expect(store.tensors["model.embed_tokens.weight"]?.dtype == .f16)
        #expect(store.tensors["model.layers.0.self_attn.q_proj.weight"]?.shape == [32, 32])
        #expect(store.metadata["format"] == .string("pt"))
        #expect(try TinyLlamaFixtures.mismatches(store, variant: "llama") == [])
    }

    @Test func gqaBF16MatchesTransformers() throws {
        let store = try SafetensorsFile(path: TinyLlamaFixtures.path("gqa-safetensors/model.safetensors"))
        #expect(store.tensors["model.layers.1.self_attn.k_proj.weight"]?.dtype == .bf16)
        #expect(store.tensors["model.layers.1.self_attn.k_proj.weight"]?.shape == [16, 32])
        #expect(try TinyLlamaFixtures.mismatches(store, variant: "gqa") == [])
    }

    @Test func shardedIndexIsOneStore() throws {
        let sharded = try CheckpointFiles.open(folder: TinyLlamaFixtures.path("llama-sharded"))
        #expect(sharded is ShardedCheckpoint)
        #expect((sharded as? ShardedCheckpoint)?.shards.count == 2)
        #expect(sharded.metadata["total_size"]?.intValue != nil)
        #expect(try TinyLlamaFixtures.mismatches(sharded, variant: "llama") == [])
    }

    @Test func indexNamingAMissingTensorIsAnError() throws {
        let dir = try TemporaryFolder()
        try FileManager.default.copyItem(atPath: TinyLlamaFixtures.path("llama-sharded/model-00001-of-00002.safetensors"),
                                         toPath: dir.path + "/a.safetensors")
        try #"{"weight_map": {"not.a.tensor": "a.safetensors"}}"#.write(toFile: dir.path + "/model.safetensors.index.json", atomically: true, encoding: .utf8)
        let message = errorText { _ = try ShardedCheckpoint(indexPath: dir.path + "/model.safetensors.index.json") }
        #expect(message.contains("not.a.tensor") && message.contains("a.safetensors"))
        try #"{"weight_map": {"x": "../escape.safetensors"}}"#.write(toFile: dir.path + "/model.safetensors.index.json", atomically: true, encoding: .utf8)
        #expect(errorText { _ = try ShardedCheckpoint(indexPath: dir.path + "/model.safetensors.index.json") }.contains("beside the index"))
    }

    // MARK: - Bad files give errors naming the file and the tensor

    @Test func lyingHeaderLength() throws {
        let dir = try TemporaryFolder()
        var bytes = Self.file(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: 8)
        bytes.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(1 << 40).littleEndian, Array.init))
        let path = try dir.write("lying.safetensors", bytes)
        let message = errorText { _ = try SafetensorsFile(path: path) }
        #expect(message.contains(path) && message.contains("header length"))
    }

    @Test(arguments: [
        (#"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, 8, "outside the data section"),
        (#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, 8, "needs 12 bytes"),
        (#"{"w":{"dtype":"Q9","shape":[2],"data_offsets":[0,8]}}"#, 8, "unknown dtype `Q9`"),
        (#"{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, 8, "bad dimension"),
        (#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, 8, "outside the data section"),
        (#"{"w":{"dtype":"F32","shape":[9223372036854775807,4],"data_offsets":[0,8]}}"#, 8, "too large"),
        (#"{"w":{"dtype":"F32","shape":[2]}}"#, 8, "data_offsets"),
        (#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"v":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, 12, "overlap"),
        (#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]"#, 8, "invalid JSON"),
        (#"[1,2]"#, 0, "not a JSON object"),
    ])
    func malformedHeader(header: String, data: Int, expected: String) throws {
        let dir = try TemporaryFolder()
        let path = try dir.write("bad.safetensors", Self.file(header: header, data: data))
        let message = errorText { _ = try SafetensorsFile(path: path) }
        #expect(message.contains(path), "\(message)")
        #expect(message.contains(expected), "\(message)")
        if header.hasPrefix(#"{"w""#) && !expected.contains("JSON") && expected != "overlap" { #expect(message.contains("'w'")) }
    }

    @Test func truncatedFiles() throws {
        let dir = try TemporaryFolder()
        let good = try Array(Data(contentsOf: URL(fileURLWithPath: TinyLlamaFixtures.path("llama-safetensors/model.safetensors"))))
        for cut in [3, 8, 100, good.count / 2, good.count - 1] {
            let path = try dir.write("cut\(cut).safetensors", Array(good[..<cut]))
            #expect(errorText { _ = try SafetensorsFile(path: path) }.contains(path))
        }
    }

    @Test func nonFloatTensorsAreSkippedByName() throws {
        let dir = try TemporaryFolder()
        let header = #"{"ids":{"dtype":"I64","shape":[1,2],"data_offsets":[0,16]},"w":{"dtype":"F32","shape":[2],"data_offsets":[16,24]},"__metadata__":{"format":"pt"}}"#
        var bytes = Self.file(header: header, data: 24)
        let values: [Float] = [1.5, -2]
        let dataStart = bytes.count - 24
        values.withUnsafeBytes { bytes.replaceSubrange((dataStart + 16)..<(dataStart + 24), with: $0) }
        let store = try SafetensorsFile(path: try dir.write("mixed.safetensors", bytes))
        #expect(store.skippedTensors == ["ids": "I64"])
        #expect(try store.tensors["w"]?.decodedFloats() == [1.5, -2])
    }

    /// A safetensors file with the given header and `data` zero bytes.
    static func file(header: String, data: Int) -> [UInt8] {
        let json = Array(header.utf8)
        return withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json + [UInt8](repeating: 0, count: data)
    }
}

/// A fresh folder under the system temporary directory, removed when released.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "align-formats-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }
}

/// The description of the error `body` throws, or "" when it does not throw.
func errorText(_ body: () throws -> Void) -> String {
    do {
        try body()
        return ""
    } catch {
        return "\(error)"
    }
}
