import Foundation
import Testing
@testable import AlignEngine

@Suite struct TorchZipTests {
    @Test func stateDictBinMatchesTransformers() throws {
        let store = try TorchCheckpoint(path: TinyLlamaFixtures.path("llama-bin/pytorch_model.bin"))
        #expect(store.tensors["lm_head.weight"]?.dtype == .f16)
        #expect(try TinyLlamaFixtures.mismatches(store, variant: "llama") == [])
    }

    @Test func tensorsPointIntoTheMapping() throws {
        let store = try TorchCheckpoint(path: TinyLlamaFixtures.path("llama-bin/pytorch_model.bin"))
        let start = UInt(bitPattern: store.file.base)
        for tensor in store.tensors.values {
            let at = UInt(bitPattern: tensor.bytes.baseAddress)
            #expect(at >= start && at + UInt(tensor.bytes.count) <= start + UInt(store.file.size))
            #expect(tensor.owner === store.file)
        }
    }

    @Test func shardedBinMatchesSafetensors() throws {
        let bin = try CheckpointFiles.open(folder: TinyLlamaFixtures.path("llama-bin-sharded"))
        let safe = try CheckpointFiles.open(folder: TinyLlamaFixtures.path("llama-safetensors"))
        #expect(bin.tensors.count == safe.tensors.count)
        for (name, tensor) in safe.tensors {
            #expect(try bin.tensors[name]?.decodedFloats() == tensor.decodedFloats(), "\(name)")
        }
    }

    @Test func maliciousPickleIsRefusedAndNothingRuns() throws {
        let marker = "/tmp/align-pickle-pwned"
        try? FileManager.default.removeItem(atPath: marker)
        let message = errorText { _ = try TorchCheckpoint(path: TinyLlamaFixtures.path("malicious.bin")) }
        #expect(message.contains("refused pickle global `posix.system`"), "\(message)")
        #expect(message.contains("malicious.bin"))
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func notAZip() throws {
        let dir = try TemporaryFolder()
        let path = try dir.write("junk.bin", Array("this is not a checkpoint, just text".utf8))
        #expect(errorText { _ = try TorchCheckpoint(path: path) }.contains("not a zip archive"))
        let legacy = try dir.write("legacy.bin", [0x80, 0x02, 0x8a, 0x0a])
        #expect(errorText { _ = try TorchCheckpoint(path: legacy) }.contains("legacy"))
    }

    @Test func truncatedZipNeverReadsOutOfBounds() throws {
        let dir = try TemporaryFolder()
        let good = try Array(Data(contentsOf: URL(fileURLWithPath: TinyLlamaFixtures.path("llama-bin/pytorch_model.bin"))))
        for cut in [10, 2000, good.count / 2, good.count - 30, good.count - 1] {
            let path = try dir.write("cut\(cut).bin", Array(good[..<cut]))
            #expect(errorText { _ = try TorchCheckpoint(path: path) }.contains(path))
        }
        // Corrupt every byte of the central directory region in turn: errors, never traps.
        var bytes = good
        for i in stride(from: good.count - 600, to: good.count, by: 7) {
            bytes[i] ^= 0xFF
            let path = try dir.write("flip.bin", bytes)
            _ = errorText { _ = try TorchCheckpoint(path: path) }
            bytes[i] = good[i]
        }
    }
}
