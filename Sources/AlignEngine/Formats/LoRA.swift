import Foundation

/// A PEFT LoRA adapter folder: `adapter_config.json` beside `adapter_model.safetensors` (or
/// `adapter_model.bin`). Merged into the base weights at load, so inference runs at base speed.
///
/// Matches: peft `LoraConfig` (`r`, `lora_alpha`, `target_modules`, `fan_in_fan_out`,
/// `use_rslora`, `alpha_pattern`) and `LoraLayer.get_delta_weight`: ΔW = B·A · scaling with
/// scaling = alpha / r (alpha / √r with rsLoRA); saved names
/// `base_model.model.<module>.lora_A.weight` / `.lora_B.weight`.
public struct LoRAAdapter {
    public let folder: String
    public let configPath: String
    /// `base_model_name_or_path`: what the adapter was trained on.
    public let baseModel: String?
    public let rank: Int
    public let alpha: Double
    public let useRSLoRA: Bool
    public let fanInFanOut: Bool
    /// Module-name patterns with their own alpha (`alpha_pattern`).
    public let alphaPattern: [String: Double]
    public let targetModules: [String]
    public let weights: TensorStore

    public static let weightFiles = ["adapter_model.safetensors", "adapter_model.bin"]

    public init(folder: String) throws(EngineError) {
        let configPath = (folder as NSString).appendingPathComponent("adapter_config.json")
        let config = try HFConfig(path: configPath)
        let peftType = config.string("peft_type") ?? "LORA"
        guard peftType == "LORA" else { throw .unsupported("\(configPath): peft_type '\(peftType)' (only LoRA adapters are merged)") }
        if try config.bool("use_dora") == true { throw .unsupported("\(configPath): DoRA adapters") }
        let rank = try config.requiredInt("r")
        guard rank > 0 else { throw .file(configPath, "`r` must be positive, found \(rank)") }
        var alphaPattern: [String: Double] = [:]
        for (key, value) in config.json["alpha_pattern"]?.objectValue ?? [:] {
            guard let a = value.doubleValue else { throw .file(configPath, "`alpha_pattern.\(key)` must be a number") }
            alphaPattern[key] = a
        }
        guard let file = Self.weightFiles.first(where: {
            FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0))
        }) else {
            throw .notFound("adapter weights", Self.weightFiles.map { (folder as NSString).appendingPathComponent($0) })
        }
        self.folder = folder
        self.configPath = configPath
        self.baseModel = config.string("base_model_name_or_path")
        self.rank = rank
        self.alpha = try config.double("lora_alpha") ?? 8
        self.useRSLoRA = try config.bool("use_rslora") ?? false
        self.fanInFanOut = try config.bool("fan_in_fan_out") ?? false
        self.alphaPattern = alphaPattern
        self.targetModules = config.json["target_modules"]?.arrayValue?.compactMap(\.stringValue)
            ?? config.string("target_modules").map { [$0] } ?? []
        self.weights = try CheckpointFiles.open(file: (folder as NSString).appendingPathComponent(file))
    }

    /// ΔW scale for one module: its alpha (from `alpha_pattern` when a key matches the end of
    /// the module name, as peft's `get_pattern_key` does) over r (or √r).
    public func scaling(module: String, rank: Int) -> Double {
        let key = alphaPattern.keys.sorted().first { Self.module(module, matches: $0) }
        let moduleAlpha = key.flatMap { alphaPattern[$0] } ?? alpha
        return moduleAlpha / (useRSLoRA ? Double(rank).squareRoot() : Double(rank))
    }

    /// peft matches pattern keys as regular expressions against the end of the module name.
    static func module(_ module: String, matches key: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: "^(.*\\.)?(\(key))$") else { return module.hasSuffix(key) }
        return regex.firstMatch(in: module, range: NSRange(module.startIndex..., in: module)) != nil
    }

    /// The LoRA pairs by base module name (`model.layers.0.self_attn.q_proj`), and the other
    /// tensors the adapter replaces outright (`modules_to_save`), by base tensor name.
    func pairs() throws(EngineError) -> (lora: [String: (a: StoredTensor, b: StoredTensor)], replaced: [String: StoredTensor]) {
        var a: [String: StoredTensor] = [:]
        var b: [String: StoredTensor] = [:]
        var replaced: [String: StoredTensor] = [:]
        for (name, tensor) in weights.tensors {
            var base = name.hasPrefix("base_model.model.") ? String(name.dropFirst("base_model.model.".count)) : name
            base = base.replacingOccurrences(of: ".default.weight", with: ".weight")
            if base.contains("lora_embedding_") || base.contains("lora_magnitude") {
                throw .unsupported("\(weights.location): tensor '\(name)' (LoRA on embeddings / DoRA)")
            } else if base.hasSuffix(".lora_A.weight") {
                a[String(base.dropLast(".lora_A.weight".count))] = tensor
            } else if base.hasSuffix(".lora_B.weight") {
                b[String(base.dropLast(".lora_B.weight".count))] = tensor
            } else if !base.contains(".lora_") {
                replaced[base.replacingOccurrences(of: ".modules_to_save", with: "")] = tensor
            }
        }
        var lora: [String: (a: StoredTensor, b: StoredTensor)] = [:]
        for module in Set(a.keys).union(b.keys) {
            guard let ta = a[module], let tb = b[module] else {
                throw .file(weights.location, "module '\(module)' has only one of lora_A / lora_B")
            }
            lora[module] = (ta, tb)
        }
        return (lora, replaced)
    }
}
