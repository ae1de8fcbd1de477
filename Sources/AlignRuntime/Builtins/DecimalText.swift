#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fixed-point decimal text of a double, correctly rounded (ties to even on the exact binary
/// value), for `round(x, digits)` and `format("{:.2f}", x)`.
/// Matches: C `printf("%.*f")` (glibc rounds exactly), which is also what CPython's
/// `round(x, n)` and `'%.nf' % x` compute.
enum DecimalText {
    /// Digits after the point are capped where a double has no more information.
    static let maximumDigits = 340

    static func fixed(_ d: Double, digits: Int) -> String {
        let places = Int32(max(0, min(digits, maximumDigits)))
        var buffer = [CChar](repeating: 0, count: 720)
        let written = withVaList([places, d]) { args in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, "%.*f", args) }
        }
        guard written > 0 else { return Value.formatFloat(d) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
