import AlignEngine
import Foundation

/// A request's JSON body with typed access: a present field of the wrong type is a 400 naming the
/// field; `null` counts as absent (clients such as the `openai` Python package send nulls).
struct RequestFields {
    let object: [String: HFJSON]

    /// Parses `body`, which must be a JSON object.
    static func parse(_ body: [UInt8]) throws(APIError) -> RequestFields {
        guard !body.isEmpty else { throw .invalid("the request body is empty; send a JSON object", code: "invalid_json") }
        guard Self.nestingDepth(body) <= maxDepth else {
            throw .invalid("the request body nests arrays/objects deeper than \(maxDepth) levels", code: "invalid_json")
        }
        let value: HFJSON
        do {
            value = try JSONDecoder().decode(HFJSON.self, from: Data(body))
        } catch {
            throw .invalid("the request body is not valid JSON: \(Self.reason(error))", code: "invalid_json")
        }
        guard let object = value.objectValue else { throw .invalid("the request body must be a JSON object", code: "invalid_json") }
        return RequestFields(object: object)
    }

    /// Deeper documents are refused before decoding, which recurses once per level.
    static let maxDepth = 64

    /// The deepest `[`/`{` nesting outside string literals (a cheap scan; the decoder checks the rest).
    static func nestingDepth(_ body: [UInt8]) -> Int {
        var depth = 0, deepest = 0
        var inString = false, escaped = false
        for byte in body {
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x5B, 0x7B:
                depth += 1
                deepest = max(deepest, depth)
            case 0x5D, 0x7D: depth -= 1
            default: break
            }
        }
        return deepest
    }

    private static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.localizedDescription
            return String((underlying ?? context.debugDescription).prefix(200))
        }
        return String("\(error)".prefix(200))
    }

    subscript(key: String) -> HFJSON? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    func int(_ key: String) throws(APIError) -> Int? {
        guard let value = self[key] else { return nil }
        guard let i = value.intValue else { throw .invalid("`\(key)` must be an integer, got \(Self.show(value))", param: key) }
        return i
    }

    func number(_ key: String) throws(APIError) -> Double? {
        guard let value = self[key] else { return nil }
        guard let d = value.doubleValue else { throw .invalid("`\(key)` must be a number, got \(Self.show(value))", param: key) }
        return d
    }

    func bool(_ key: String) throws(APIError) -> Bool? {
        guard let value = self[key] else { return nil }
        guard let b = value.boolValue else { throw .invalid("`\(key)` must be true or false, got \(Self.show(value))", param: key) }
        return b
    }

    func string(_ key: String) throws(APIError) -> String? {
        guard let value = self[key] else { return nil }
        guard let s = value.stringValue else { throw .invalid("`\(key)` must be a string, got \(Self.show(value))", param: key) }
        return s
    }

    /// A field that may be one string or a list of strings (`stop`).
    func strings(_ key: String) throws(APIError) -> [String] {
        guard let value = self[key] else { return [] }
        if let s = value.stringValue { return [s] }
        guard let items = value.arrayValue else {
            throw .invalid("`\(key)` must be a string or a list of strings, got \(Self.show(value))", param: key)
        }
        var out: [String] = []
        for item in items {
            guard let s = item.stringValue else { throw .invalid("`\(key)` must contain only strings, got \(Self.show(item))", param: key) }
            out.append(s)
        }
        return out
    }

    /// A short rendering of a value for messages.
    static func show(_ value: HFJSON) -> String { String(value.description.prefix(60)) }
}
