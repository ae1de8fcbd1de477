import Foundation

/// What one request collects while libcurl runs it: the body, the final answer's `Retry-After`,
/// and why a callback stopped the transfer. libcurl calls the callbacks below on the thread inside
/// `curl_easy_perform`, with this object as their context pointer; nothing else touches it then.
final class CurlExchange {
    /// Largest reply kept; a larger one fails instead of exhausting memory.
    static let bodyLimit = 256 << 20

    var body = Data()
    var retryAfter: Double?
    var bodyTooLarge = false
    var cancelled = false

    /// `CURLOPT_WRITEFUNCTION`: appends a chunk of the body. Returning less than the chunk's size
    /// makes libcurl stop with CURLE_WRITE_ERROR.
    static let receiveBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, context in
        guard let context else { return 0 }
        let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
        let (length, overflow) = size.multipliedReportingOverflow(by: count)
        guard !overflow, length > 0, let data else { return 0 }
        guard length <= bodyLimit - exchange.body.count else {
            exchange.bodyTooLarge = true
            return 0
        }
        exchange.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length)
        return length
    }

    /// `CURLOPT_HEADERFUNCTION`: one header line at a time, status lines included. A status line
    /// starts a new answer (after a redirect or `100 Continue`), so only the last one's
    /// `Retry-After` counts. Only the numeric form is read; an HTTP date is ignored.
    static let receiveHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, context in
        let (length, overflow) = size.multipliedReportingOverflow(by: count)
        guard !overflow, length >= 0 else { return 0 }
        guard let context, let data, length > 0 else { return length }
        let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            exchange.retryAfter = nil
        } else if let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == "retry-after" {
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            exchange.retryAfter = Double(value).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
        }
        return length
    }

    /// `CURLOPT_XFERINFOFUNCTION`: libcurl calls it while the transfer runs (at least once a
    /// second when idle); a non-zero answer aborts with CURLE_ABORTED_BY_CALLBACK.
    static let reportProgress: @convention(c) (UnsafeMutableRawPointer?, Int64, Int64, Int64, Int64) -> Int32 = { context, _, _, _, _ in
        guard let context, Cancellation.isRequestedHere else { return 0 }
        Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue().cancelled = true
        return 1
    }
}

extension Cancellation {
    /// Whether the check bound on this thread asks to stop (false when none is bound).
    static var isRequestedHere: Bool {
        do throws(EngineError) {
            try checkpoint()
            return false
        } catch {
            return true
        }
    }
}
