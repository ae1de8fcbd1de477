import Foundation

/// One API call with retries: rate limits (429), server errors (5xx), 408, timeouts and lost
/// connections are tried again after an exponential backoff with jitter (a server's
/// `Retry-After` is honoured up to the backoff cap); other answers are final.
extension OpenAIClient {
    func send(_ route: String, _ request: OpenAIWire.Request) throws(RemoteError) -> OpenAIWire.Reply {
        let name = endpoint.description
        guard let url = endpoint.url(route) else {
            throw .invalidConfiguration("cannot form the URL of \(route) from \(endpoint.baseURL)")
        }
        let body: Data
        do { body = try JSONEncoder().encode(request) } catch {
            throw .invalidArgument("cannot encode the request: \(error)")
        }
        var headers = ["Content-Type": "application/json", "Accept": "application/json"]
        if let key = endpoint.apiKey { headers["Authorization"] = "Bearer \(key)" }
        var attempt = 0
        while true {
            let failure: RemoteError
            var retryAfter: Double?
            do {
                let answer = try transport.post(url, body: body, headers: headers, timeout: endpoint.timeout)
                if (200..<300).contains(answer.status) { return try Self.decode(answer.body, from: name) }
                failure = .http(name, answer.status, OpenAIWire.errorMessage(answer.body))
                retryAfter = answer.retryAfter
            } catch {
                switch error {
                case .transport(_, let why, let timedOut): failure = .transport(name, why, timedOut: timedOut)
                case .unsupported(_, let what): failure = .unsupported(name, what)
                default: failure = error
                }
            }
            guard failure.isRetryable, attempt < endpoint.retries else {
                throw attempt == 0 ? failure : Self.afterRetries(failure, attempt)
            }
            try pause(backoff(attempt: attempt, retryAfter: retryAfter))
            attempt += 1
        }
    }

    /// Sleeps `seconds` in short slices, throwing `.cancelled` as soon as the caller's
    /// `Cancellation` check fires (a backoff may last up to `maximumBackoff`).
    private func pause(_ seconds: Double) throws(RemoteError) {
        let end = Date(timeIntervalSinceNow: seconds)
        while true {
            guard !Cancellation.isRequestedHere else { throw .cancelled }
            let left = end.timeIntervalSinceNow
            guard left > 0 else { return }
            Thread.sleep(forTimeInterval: min(left, 0.05))
        }
    }

    /// Seconds before retry `attempt + 1`: initial × 2^attempt capped at the maximum, scaled by a
    /// random factor in [0.5, 1] so many clients do not retry in step (the system RNG: timing
    /// only, results never depend on it).
    func backoff(attempt: Int, retryAfter: Double?) -> Double {
        let exponential = min(endpoint.maximumBackoff, endpoint.initialBackoff * pow(2, Double(min(attempt, 30))))
        let jittered = exponential * Double.random(in: 0.5...1)
        guard let retryAfter, retryAfter.isFinite, retryAfter > 0 else { return jittered }
        return max(jittered, min(retryAfter, endpoint.maximumBackoff))
    }

    static func decode(_ body: Data, from name: String) throws(RemoteError) -> OpenAIWire.Reply {
        do {
            return try JSONDecoder().decode(OpenAIWire.Reply.self, from: body)
        } catch {
            let start = String(decoding: body.prefix(120), as: UTF8.self)
            throw .malformedResponse(name, "not an OpenAI completion (\(Self.decodingProblem(error))); body starts: \(start)")
        }
    }

    /// A one-line reason from a `DecodingError` (its default description is a long dump).
    static func decodingProblem(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: return "missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case .dataCorrupted?: return "not valid JSON"
        default: return "\(error)"
        }
    }

    static func afterRetries(_ error: RemoteError, _ retries: Int) -> RemoteError {
        let note = " (gave up after \(retries) \(retries == 1 ? "retry" : "retries"))"
        switch error {
        case .http(let e, let s, let m): return .http(e, s, m + note)
        case .transport(let e, let w, let t): return .transport(e, w + note, timedOut: t)
        default: return error
        }
    }
}
