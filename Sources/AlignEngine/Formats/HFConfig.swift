import Foundation

/// A Hugging Face `config.json`, read into the fields the engine's model families use.
/// The same field goes by different names across families (`hidden_size` / `d_model`,
/// `num_hidden_layers` / `num_layers` / `encoder_layers`), so each property tries them in turn.
///
/// Matches: transformers `PretrainedConfig` and `LlamaConfig`, `MistralConfig`, `BertConfig`,
/// `BartConfig`, `T5Config` (v4 names; v5's `rope_parameters` and `dtype` are read too).
public struct HFConfig: Sendable {
    /// The file, for messages.
    public let path: String
    public let json: HFJSON

    public init(path: String) throws(EngineError) {
        let json = try HFJSON.read(path: path)
        guard json.objectValue != nil else { throw .file(path, "config is not a JSON object") }
        self.init(json: json, path: path)
    }

    public init(json: HFJSON, path: String) {
        self.json = json
        self.path = path
    }

    public var modelType: String { json["model_type"]?.stringValue ?? "" }
    public var architectures: [String] { json["architectures"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    // MARK: - Typed access naming the file and key on errors

    /// The first of `keys` present (and not null) as an integer; nil when none is present.
    public func int(_ keys: String...) throws(EngineError) -> Int? {
        for key in keys {
            guard let value = json[key], !value.isNull else { continue }
            guard let i = value.intValue else { throw .file(path, "`\(key)` must be an integer, found \(value)") }
            return i
        }
        return nil
    }

    /// Like `int`, but the field must be present.
    public func requiredInt(_ keys: String...) throws(EngineError) -> Int {
        for key in keys {
            guard let value = json[key], !value.isNull else { continue }
            guard let i = value.intValue else { throw .file(path, "`\(key)` must be an integer, found \(value)") }
            return i
        }
        throw .file(path, "missing `\(keys.joined(separator: "` / `"))`")
    }

    public func double(_ keys: String...) throws(EngineError) -> Double? {
        for key in keys {
            guard let value = json[key], !value.isNull else { continue }
            guard let d = value.doubleValue else { throw .file(path, "`\(key)` must be a number, found \(value)") }
            return d
        }
        return nil
    }

    public func bool(_ key: String) throws(EngineError) -> Bool? {
        guard let value = json[key], !value.isNull else { return nil }
        guard let b = value.boolValue else { throw .file(path, "`\(key)` must be true or false, found \(value)") }
        return b
    }

    public func string(_ key: String) -> String? { json[key]?.stringValue }

    /// A token id field that may be one id or a list of ids (`eos_token_id: [2, 32000]`).
    public func tokenIDs(_ key: String) throws(EngineError) -> [Int] {
        guard let value = json[key], !value.isNull else { return [] }
        if let id = value.intValue { return [id] }
        guard let list = value.arrayValue else { throw .file(path, "`\(key)` must be a token id or a list of ids") }
        var ids: [Int] = []
        for item in list {
            guard let id = item.intValue else { throw .file(path, "`\(key)` holds a non-integer id \(item)") }
            ids.append(id)
        }
        return ids
    }

    // MARK: - Fields shared by the families

    public var vocabSize: Int { get throws(EngineError) { try requiredInt("vocab_size") } }
    public var hiddenSize: Int { get throws(EngineError) { try requiredInt("hidden_size", "d_model", "n_embd") } }
    public var layerCount: Int { get throws(EngineError) { try requiredInt("num_hidden_layers", "num_layers", "encoder_layers", "n_layer") } }
    public var headCount: Int { get throws(EngineError) { try requiredInt("num_attention_heads", "num_heads", "encoder_attention_heads", "n_head") } }
    public var intermediateSize: Int { get throws(EngineError) { try requiredInt("intermediate_size", "d_ff", "encoder_ffn_dim", "n_inner") } }
    public var maxPositions: Int? { get throws(EngineError) { try int("max_position_embeddings", "n_positions") } }
    public var hiddenActivation: String? { string("hidden_act") ?? string("activation_function") ?? string("feed_forward_proj") }
    /// The stored weight dtype the checkpoint was saved in (`torch_dtype`, v5 `dtype`).
    public var storedDType: String? { string("torch_dtype") ?? string("dtype") }

    /// `tie_word_embeddings`, defaulting as each family's config class does.
    public var tiedWordEmbeddings: Bool {
        get throws(EngineError) {
            if let tied = try bool("tie_word_embeddings") { return tied }
            return !["llama", "mistral", "mixtral", "qwen2"].contains(modelType)
        }
    }

    /// `rope_theta`, or v5's `rope_parameters.rope_theta`; 10 000 when absent.
    public var ropeTheta: Double {
        get throws(EngineError) {
            if let theta = try double("rope_theta") { return theta }
            if let theta = json["rope_parameters"]?["rope_theta"]?.doubleValue { return theta }
            return 10_000
        }
    }

    /// The RoPE scaling type when one other than plain RoPE is configured (`linear`, `llama3`, …).
    public var ropeScalingType: String? {
        for key in ["rope_scaling", "rope_parameters"] {
            guard let scaling = json[key], !scaling.isNull else { continue }
            let type = scaling["rope_type"]?.stringValue ?? scaling["type"]?.stringValue ?? "default"
            if type != "default" { return type }
        }
        return nil
    }

    /// Class names by output index (`id2label`), for classifiers; empty when absent.
    public var idToLabel: [Int: String] {
        get throws(EngineError) {
            guard let map = json["id2label"]?.objectValue else { return [:] }
            var out: [Int: String] = [:]
            for (key, value) in map {
                guard let index = Int(key), let label = value.stringValue else {
                    throw .file(path, "`id2label` entry \"\(key)\" is not an index → name pair")
                }
                out[index] = label
            }
            return out
        }
    }
}
