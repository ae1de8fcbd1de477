#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// libcurl's easy interface, loaded with `dlopen` the first time an `openai:` model sends a
/// request and kept for the life of the process. Linking it (as FoundationNetworking does) would
/// map libcurl and its ~25 TLS, Kerberos and LDAP libraries into every `align` process, though only
/// remote models use them.
///
/// The variadic `curl_easy_setopt` / `curl_easy_getinfo` are called through fixed-signature
/// pointers, one per argument class (long, pointer). On the x86-64 and AArch64 Linux ABIs a
/// variadic integer or pointer argument travels in the same register as a named one, so the
/// callee reads what it would have read from a variadic call.
struct CurlLibrary: @unchecked Sendable {
    typealias Handle = OpaquePointer
    typealias HeaderList = UnsafeMutableRawPointer

    let easyInit: @convention(c) () -> Handle?
    let easyCleanup: @convention(c) (Handle?) -> Void
    let easyPerform: @convention(c) (Handle?) -> Int32
    let setLong: @convention(c) (Handle?, Int32, Int) -> Int32
    let setPointer: @convention(c) (Handle?, Int32, UnsafeRawPointer?) -> Int32
    let getLong: @convention(c) (Handle?, Int32, UnsafeMutablePointer<Int>?) -> Int32
    let strerror: @convention(c) (Int32) -> UnsafePointer<CChar>?
    let appendHeader: @convention(c) (HeaderList?, UnsafePointer<CChar>?) -> HeaderList?
    let freeHeaders: @convention(c) (HeaderList?) -> Void

    /// The sonames tried in order: OpenSSL libcurl (Debian `libcurl4`), then the GnuTLS build
    /// (`libcurl3-gnutls`), which has the same ABI and is often installed alongside desktop tools.
    static let standardNames = ["libcurl.so.4", "libcurl-gnutls.so.4"]

    /// The process-wide library: loaded once (Swift runs a static initialiser exactly once, so
    /// `curl_global_init`, which is not thread-safe, runs once too).
    private static let standard: Result<CurlLibrary, RemoteError> = Result { () throws(RemoteError) in try load(standardNames) }

    /// The library under one of `names`; the standard names share one load.
    static func named(_ names: [String]) -> Result<CurlLibrary, RemoteError> {
        names == standardNames ? standard : Result { () throws(RemoteError) in try load(names) }
    }

    /// Opens the first of `names` that loads and resolves the functions the client calls.
    private static func load(_ names: [String]) throws(RemoteError) -> CurlLibrary {
        var reasons: [String] = []
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                reasons.append(dlerror().map { String(cString: $0) } ?? "\(name): cannot be opened")
                continue
            }
            do throws(RemoteError) {
                return try CurlLibrary(handle, name)
            } catch {
                reasons.append(error.description)
            }
        }
        let first = names.first ?? "libcurl.so.4"
        throw .unsupported("openai client", "cannot load \(first), which `openai:` models use for HTTP (\(reasons.joined(separator: "; "))); install the Debian package libcurl4 (apt-get install libcurl4)")
    }

    private init(_ library: UnsafeMutableRawPointer, _ name: String) throws(RemoteError) {
        func symbol<F>(_ symbol: String, as _: F.Type) throws(RemoteError) -> F {
            guard let address = dlsym(library, symbol) else {
                throw .unsupported("openai client", "\(name) has no \(symbol) (libcurl 7.32 or newer is needed)")
            }
            return unsafeBitCast(address, to: F.self)
        }
        easyInit = try symbol("curl_easy_init", as: (@convention(c) () -> Handle?).self)
        easyCleanup = try symbol("curl_easy_cleanup", as: (@convention(c) (Handle?) -> Void).self)
        easyPerform = try symbol("curl_easy_perform", as: (@convention(c) (Handle?) -> Int32).self)
        setLong = try symbol("curl_easy_setopt", as: (@convention(c) (Handle?, Int32, Int) -> Int32).self)
        setPointer = try symbol("curl_easy_setopt", as: (@convention(c) (Handle?, Int32, UnsafeRawPointer?) -> Int32).self)
        getLong = try symbol("curl_easy_getinfo", as: (@convention(c) (Handle?, Int32, UnsafeMutablePointer<Int>?) -> Int32).self)
        strerror = try symbol("curl_easy_strerror", as: (@convention(c) (Int32) -> UnsafePointer<CChar>?).self)
        appendHeader = try symbol("curl_slist_append", as: (@convention(c) (HeaderList?, UnsafePointer<CChar>?) -> HeaderList?).self)
        freeHeaders = try symbol("curl_slist_free_all", as: (@convention(c) (HeaderList?) -> Void).self)
        let globalInit = try symbol("curl_global_init", as: (@convention(c) (Int) -> Int32).self)
        let code = globalInit(Curl.globalDefault)
        guard code == Curl.ok else {
            throw .unsupported("openai client", "curl_global_init failed in \(name): \(message(code))")
        }
    }

    /// libcurl's text for a result code.
    func message(_ code: Int32) -> String {
        strerror(code).map { String(cString: $0) } ?? "libcurl error \(code)"
    }
}

/// Option, info and result numbers of the libcurl ABI, as published in curl.h (7.88.1 checked;
/// the values are stable across libcurl 7.x and 8.x). Options are `type base + number`: LONG 0,
/// OBJECTPOINT/STRINGPOINT/SLISTPOINT/CBPOINT 10000, FUNCTIONPOINT 20000, OFF_T 30000.
enum Curl {
    /// `CURL_GLOBAL_DEFAULT` = `CURL_GLOBAL_ALL` = SSL | WIN32.
    static let globalDefault = 3

    // MARK: - Options (CURLOPT_*)
    static let writeData: Int32 = 10_001             // CURLOPT_WRITEDATA (CBPOINT, 1)
    static let url: Int32 = 10_002                   // CURLOPT_URL (STRINGPOINT, 2)
    static let errorBuffer: Int32 = 10_010           // CURLOPT_ERRORBUFFER (OBJECTPOINT, 10)
    static let writeFunction: Int32 = 20_011         // CURLOPT_WRITEFUNCTION (FUNCTIONPOINT, 11)
    static let postFields: Int32 = 10_015            // CURLOPT_POSTFIELDS (OBJECTPOINT, 15)
    static let httpHeader: Int32 = 10_023            // CURLOPT_HTTPHEADER (SLISTPOINT, 23)
    static let headerData: Int32 = 10_029            // CURLOPT_HEADERDATA (CBPOINT, 29)
    static let noProgress: Int32 = 43                // CURLOPT_NOPROGRESS (LONG, 43)
    static let post: Int32 = 47                      // CURLOPT_POST (LONG, 47)
    static let followLocation: Int32 = 52            // CURLOPT_FOLLOWLOCATION (LONG, 52)
    static let xferInfoData: Int32 = 10_057          // CURLOPT_XFERINFODATA (CBPOINT, 57)
    static let maxRedirects: Int32 = 68              // CURLOPT_MAXREDIRS (LONG, 68)
    static let headerFunction: Int32 = 20_079        // CURLOPT_HEADERFUNCTION (FUNCTIONPOINT, 79)
    static let noSignal: Int32 = 99                  // CURLOPT_NOSIGNAL (LONG, 99)
    static let acceptEncoding: Int32 = 10_102        // CURLOPT_ACCEPT_ENCODING (STRINGPOINT, 102)
    static let postFieldSizeLarge: Int32 = 30_120    // CURLOPT_POSTFIELDSIZE_LARGE (OFF_T, 120)
    static let timeoutMilliseconds: Int32 = 155      // CURLOPT_TIMEOUT_MS (LONG, 155)
    static let postRedirect: Int32 = 161             // CURLOPT_POSTREDIR (VALUES, 161)
    static let xferInfoFunction: Int32 = 20_219      // CURLOPT_XFERINFOFUNCTION (FUNCTIONPOINT, 219)

    /// The FUNCTIONPOINT base: pointer options below it point at data, which must not outlive
    /// the request.
    static let functionOptions: Int32 = 20_000

    /// `CURL_REDIR_POST_ALL` = POST_301 | POST_302 | POST_303: a redirected POST stays a POST.
    static let redirectPostAll = 7

    // MARK: - Info (CURLINFO_*)
    static let responseCode: Int32 = 0x200002        // CURLINFO_RESPONSE_CODE = CURLINFO_LONG + 2

    // MARK: - Results (CURLE_*)
    static let ok: Int32 = 0                         // CURLE_OK
    static let couldNotConnect: Int32 = 7            // CURLE_COULDNT_CONNECT
    static let writeError: Int32 = 23                // CURLE_WRITE_ERROR (a write callback refused data)
    static let timedOut: Int32 = 28                  // CURLE_OPERATION_TIMEDOUT
    static let abortedByCallback: Int32 = 42         // CURLE_ABORTED_BY_CALLBACK

    /// `CURL_ERROR_SIZE`: the least an error buffer may hold.
    static let errorSize = 256
}
