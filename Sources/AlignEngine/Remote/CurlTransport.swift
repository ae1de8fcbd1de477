import Foundation

/// HTTP through libcurl's easy interface, loaded on first use (`CurlLibrary`): https with the
/// system's CA store and proxies from the usual environment variables (both libcurl defaults),
/// gzip replies, redirects followed with the POST kept. Easy handles are pooled, at most
/// `connectionsPerHost` of them, and a handle keeps its connection open between requests, so
/// successive requests reuse it; a caller wanting a handle while all are busy waits.
/// The deadline is libcurl's whole-transfer timer (CURLOPT_TIMEOUT_MS), and a Ctrl-C bound with
/// `Cancellation` on the calling thread aborts the transfer within about a second.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    private let limit: Int
    private let libraryNames: [String]?
    private let pool = NSCondition()
    private var idle: [CurlLibrary.Handle] = []
    private var open = 0
    private var library: CurlLibrary?

    /// `libraryNames` are the sonames to try (nil: libcurl.so.4, then the GnuTLS build); tests
    /// name a missing one to see the error.
    public init(connectionsPerHost: Int, libraryNames: [String]? = nil) {
        limit = max(connectionsPerHost, 1)
        self.libraryNames = libraryNames
    }

    deinit {
        guard let library else { return }
        for handle in idle { library.easyCleanup(handle) }
    }

    public func post(_ url: URL, body: Data, headers: [String: String], timeout: Double) throws(RemoteError) -> HTTPAnswer {
        let curl = try CurlLibrary.named(libraryNames ?? CurlLibrary.standardNames).get()
        let handle = try checkOut(curl)
        var reusable = false
        defer { checkIn(handle, curl, reusable: reusable) }
        let answer = try perform(curl, handle, url, body: body, headers: headers, timeout: timeout)
        reusable = true
        return answer
    }

    /// Sends one request on `handle` and reads the answer; every pointer handed to libcurl is
    /// taken back before returning, as the handle outlives them in the pool.
    private func perform(_ curl: CurlLibrary, _ handle: CurlLibrary.Handle, _ url: URL, body: Data,
                         headers: [String: String], timeout: Double) throws(RemoteError) -> HTTPAnswer {
        let address = url.absoluteString
        guard !Cancellation.isRequestedHere else { throw .cancelled }
        // A line break would end the header early and smuggle in another (the value may be a key
        // read from the environment, so it is not shown).
        for (name, value) in headers where (name + value).unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw .invalidArgument("the request header \(name) contains a line break")
        }
        // "Expect:" stops libcurl waiting for `100 Continue` before sending a large body.
        let lines = headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" } + ["Expect:"]
        var list: CurlLibrary.HeaderList?
        defer { curl.freeHeaders(list) }
        for line in lines {
            guard let longer = curl.appendHeader(list, line) else { throw .transport(address, "out of memory building the request headers", timedOut: false) }
            list = longer
        }
        let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Curl.errorSize)
        errorText.initialize(repeating: 0, count: Curl.errorSize)
        defer { errorText.deallocate() }
        let exchange = CurlExchange()
        let context = Unmanaged.passUnretained(exchange).toOpaque()
        let payload = body.isEmpty ? Data([0]) : body
        // 0 would mean no limit to libcurl, so the deadline is at least 1 ms.
        let milliseconds = timeout.isFinite ? Int(min(max((timeout * 1000).rounded(.up), 1), 1e12)) : Int(1e12)
        let code = withExtendedLifetime(exchange) {
            payload.withUnsafeBytes { bytes -> Int32 in
                let pointers: [(Int32, UnsafeRawPointer?)] = [
                    (Curl.httpHeader, UnsafeRawPointer(list)), (Curl.postFields, bytes.baseAddress),
                    (Curl.errorBuffer, UnsafeRawPointer(errorText)), (Curl.writeData, UnsafeRawPointer(context)),
                    (Curl.headerData, UnsafeRawPointer(context)), (Curl.xferInfoData, UnsafeRawPointer(context)),
                    (Curl.writeFunction, unsafeBitCast(CurlExchange.receiveBody, to: UnsafeRawPointer.self)),
                    (Curl.headerFunction, unsafeBitCast(CurlExchange.receiveHeader, to: UnsafeRawPointer.self)),
                    (Curl.xferInfoFunction, unsafeBitCast(CurlExchange.reportProgress, to: UnsafeRawPointer.self)),
                ]
                let numbers: [(Int32, Int)] = [
                    (Curl.post, 1), (Curl.postFieldSizeLarge, body.count), (Curl.timeoutMilliseconds, milliseconds),
                    (Curl.noSignal, 1), (Curl.noProgress, 0), (Curl.followLocation, 1), (Curl.maxRedirects, 5),
                    (Curl.postRedirect, Curl.redirectPostAll),
                ]
                defer {
                    for (option, _) in pointers where option < Curl.functionOptions { _ = curl.setPointer(handle, option, nil) }
                }
                for (option, value) in numbers {
                    let result = curl.setLong(handle, option, value)
                    guard result == Curl.ok else { return result }
                }
                for (option, value) in pointers {
                    let result = curl.setPointer(handle, option, value)
                    guard result == Curl.ok else { return result }
                }
                let set = address.withCString { curl.setPointer(handle, Curl.url, $0) }
                guard set == Curl.ok else { return set }
                _ = "".withCString { curl.setPointer(handle, Curl.acceptEncoding, $0) }
                return curl.easyPerform(handle)
            }
        }
        return try answer(curl, handle, code, exchange, address, detail: String(cString: errorText), timeout: timeout)
    }

    /// The answer of a finished transfer, or the error its result code stands for.
    private func answer(_ curl: CurlLibrary, _ handle: CurlLibrary.Handle, _ code: Int32, _ exchange: CurlExchange,
                        _ address: String, detail: String, timeout: Double) throws(RemoteError) -> HTTPAnswer {
        switch code {
        case Curl.ok:
            var status = 0
            guard curl.getLong(handle, Curl.responseCode, &status) == Curl.ok, status > 0 else {
                throw .transport(address, "no HTTP response", timedOut: false)
            }
            return HTTPAnswer(status: status, body: exchange.body, retryAfter: exchange.retryAfter)
        case Curl.abortedByCallback where exchange.cancelled:
            throw .cancelled
        case Curl.timedOut:
            throw .transport(address, "timed out after \(Self.seconds(timeout))", timedOut: true)
        case Curl.couldNotConnect:
            throw .transport(address, "cannot connect (is the server running?)", timedOut: false)
        case Curl.writeError where exchange.bodyTooLarge:
            throw .transport(address, "the reply is larger than \(CurlExchange.bodyLimit >> 20) MiB", timedOut: false)
        default:
            let summary = curl.message(code)
            let why = detail.isEmpty || detail == summary ? summary : "\(summary): \(detail)"
            throw .transport(address, why, timedOut: false)
        }
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() && abs(s) < 1e15 ? "\(Int(s)) s" : "\(s) s"
    }

    // MARK: - Handle pool

    /// An idle handle, a new one while fewer than `limit` exist, else waits for one (checking for
    /// Ctrl-C every 100 ms).
    private func checkOut(_ curl: CurlLibrary) throws(RemoteError) -> CurlLibrary.Handle {
        pool.lock()
        defer { pool.unlock() }
        library = curl
        while true {
            if let handle = idle.popLast() { return handle }
            if open < limit {
                guard let handle = curl.easyInit() else {
                    throw .transport("openai client", "curl_easy_init failed (out of memory?)", timedOut: false)
                }
                open += 1
                return handle
            }
            guard !Cancellation.isRequestedHere else { throw .cancelled }
            _ = pool.wait(until: Date(timeIntervalSinceNow: 0.1))
        }
    }

    /// Returns a handle after a request; one whose transfer failed is closed rather than reused,
    /// so a broken connection is not kept.
    private func checkIn(_ handle: CurlLibrary.Handle, _ curl: CurlLibrary, reusable: Bool) {
        pool.lock()
        defer { pool.unlock() }
        if reusable {
            idle.append(handle)
        } else {
            curl.easyCleanup(handle)
            open -= 1
        }
        pool.signal()
    }
}
