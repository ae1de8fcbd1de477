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
    /// (`llama`, `lora`, `gqa`): same names, shapes, sums and leading values.
    static func mismatches(_ store: TensorStore, variant: String) throws -> [String] {
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
            if abs(sum - refSum) > 1e-6 * max(1, refAbs) { problems.append("\(name): sum \(sum) != \(refSum)") }
            if abs(absSum - refAbs) > 1e-6 * max(1, refAbs) { problems.append("\(name): abs sum \(absSum) != \(refAbs)") }
            let head = expected["head"]?.arrayValue?.compactMap(\.doubleValue) ?? []
            for (i, v) in head.enumerated() where i < values.count && Double(values[i]) != v {
                problems.append("\(name)[\(i)]: \(values[i]) != \(v)")
            }
        }
        return problems
    }
}
