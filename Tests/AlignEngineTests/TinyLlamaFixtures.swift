import Foundation
@testable import AlignEngine

/// Paths and reference values of the tiny checkpoints written by
/// `scripts/fixtures/checkpoints_tiny_llama.py`.
enum TinyLlamaFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/checkpoints").path

    static func path(_ relative: String) -> String { root + "/" + relative }

    static func reference() throws -> HFJSON { try HFJSON.read(path: path("reference.json")) }

    /// Checks every tensor of `store` against the digest transformers wrote for `variant`
    /// (`llama`, `lora`, `gqa`): same names, shapes, sums and leading values (exactly, unless a
    /// relative `tolerance` is given for weights computed at load, such as LoRA merges).
    static func mismatches(_ store: TensorStore, variant: String, tolerance: Double = 0) throws -> [String] {
        guard let digest = try reference()[variant]?["tensors"]?.objectValue else { return ["no digest for \(variant)"] }
        var problems: [String] = []
        if Set(digest.keys) != Set(store.tensors.keys) {
            problems.append("names differ: \(Set(digest.keys).symmetricDifference(store.tensors.keys).sorted())")
        }
        for (name, expected) in digest {
            guard let tensor = store.tensors[name] else { continue }
            let shape = expected["shape"]?.arrayValue?.compactMap(\.intValue) ?? []
            if tensor.shape != shape { problems.append("\(name): shape \(tensor.shape) != \(shape)") }
            let values = try tensor.decodedFloats()
            let sum = values.reduce(0.0) { $0 + Double($1) }
            let absSum = values.reduce(0.0) { $0 + abs(Double($1)) }
            let refSum = expected["sum"]?.doubleValue ?? .nan
            let refAbs = expected["abs_sum"]?.doubleValue ?? .nan
            let sumTolerance = max(1e-6, tolerance) * max(1, refAbs)
            if abs(sum - refSum) > sumTolerance { problems.append("\(name): sum \(sum) != \(refSum)") }
            if abs(absSum - refAbs) > sumTolerance { problems.append("\(name): abs sum \(absSum) != \(refAbs)") }
            let head = expected["head"]?.arrayValue?.compactMap(\.doubleValue) ?? []
            for (i, v) in head.enumerated() where i < values.count && abs(Double(values[i]) - v) > tolerance * max(1, abs(v)) {
                problems.append("\(name)[\(i)]: \(values[i]) != \(v)")
            }
        }
        return problems
    }
}
