/// An error answered to a client in OpenAI's shape: `{"error": {"message", "type", "param",
/// "code"}}` with an HTTP status. Messages are lower-case and name the field at fault.
public struct APIError: Error, Sendable, Equatable {
    public let status: Int
    public let message: String
    public let type: String
    public let code: String
    public let param: String?

    public init(status: Int, message: String, type: String = "invalid_request_error", code: String, param: String? = nil) {
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
    }

    /// A 400 about one request field.
    static func invalid(_ message: String, param: String? = nil, code: String = "invalid_value") -> APIError {
        APIError(status: 400, message: message, code: code, param: param)
    }

    public var json: JSONText {
        .object([("error", .object([("message", .string(message)), ("type", .string(type)),
                                    ("param", .optional(param)), ("code", .string(code))]))])
    }

    public var response: HTTPResponse {
        var headers: [(name: String, value: String)] = []
        if status == 401 { headers.append(("WWW-Authenticate", "Bearer")) }
        if status == 429 { headers.append(("Retry-After", "1")) }
        return .json(status, json, headers: headers)
    }
}

extension HTTPFailure {
    var apiError: APIError { APIError(status: status, message: message, code: code) }
}

/// Why `align serve` could not start.
public enum ServeError: Error, CustomStringConvertible, Sendable {
    case startup(String)

    public var description: String {
        switch self {
        case .startup(let message): message
        }
    }
}
