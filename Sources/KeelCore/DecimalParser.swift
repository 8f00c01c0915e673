/// Fast, exact parsing of the contract's decimal numbers from ASCII bytes.
///
/// `-?digits[.digits]` with at most 18 significant digits is parsed as an integer mantissa and
/// divided by an exact power of ten (≤ 10^22), so the result is the correctly rounded double;
/// other forms (exponents, longer mantissas) go through the C library's `strtod`. Text that is
/// not a finite decimal number yields `.invalid`; a finite number whose magnitude is at least
/// `limit` yields `.outOfRange` (the store keeps money and quantities as doubles, which hold a
/// cent exactly only below about 10^13–10^15).
public enum DecimalParser {
    public enum Result: Equatable, Sendable {
        case value(Double)
        case invalid
        case outOfRange
    }

    public static let defaultLimit = 1e15

    @usableFromInline static let powers: [Double] = (0...22).map { p in
        var v = 1.0
        for _ in 0..<p { v *= 10 }
        return v
    }

    @inlinable
    public static func parse(_ b: UnsafeBufferPointer<UInt8>, limit: Double = defaultLimit) -> Result {
        var i = 0
        let n = b.count
        guard n > 0 else { return .invalid }
        var negative = false
        if b[0] == 0x2D { negative = true; i = 1 } else if b[0] == 0x2B { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var sawDot = false
        var sawDigit = false
        while i < n {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 {
                sawDigit = true
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(c &- 0x30)
                    if mantissa != 0 { digits += 1 }
                    if sawDot { fraction += 1 }
                } else {
                    return slow(b, limit: limit)
                }
            } else if c == 0x2E && !sawDot {
                sawDot = true
            } else if c == 0x65 || c == 0x45 {
                return slow(b, limit: limit)
            } else {
                return .invalid
            }
            i += 1
        }
        guard sawDigit, digits <= 18, fraction <= 22 else { return sawDigit ? slow(b, limit: limit) : .invalid }
        var v = Double(mantissa) / powers[fraction]
        if negative { v = -v }
        return abs(v) >= limit ? .outOfRange : .value(v)
    }

    @usableFromInline
    static func slow(_ b: UnsafeBufferPointer<UInt8>, limit: Double) -> Result {
        // Validate the grammar first: -?digits[.digits][(e|E)[+-]digits]
        var i = 0
        let n = b.count
        if i < n, b[i] == 0x2D || b[i] == 0x2B { i += 1 }
        var intDigits = 0
        while i < n, b[i] >= 0x30, b[i] <= 0x39 { i += 1; intDigits += 1 }
        var fracDigits = 0
        if i < n, b[i] == 0x2E { i += 1; while i < n, b[i] >= 0x30, b[i] <= 0x39 { i += 1; fracDigits += 1 } }
        guard intDigits + fracDigits > 0 else { return .invalid }
        if i < n, b[i] == 0x65 || b[i] == 0x45 {
            i += 1
            if i < n, b[i] == 0x2D || b[i] == 0x2B { i += 1 }
            var e = 0
            while i < n, b[i] >= 0x30, b[i] <= 0x39 { i += 1; e += 1 }
            guard e > 0 else { return .invalid }
        }
        guard i == n else { return .invalid }
        guard let v = Double(String(decoding: b, as: UTF8.self)) else { return .invalid }
        guard v.isFinite else { return .outOfRange }
        return abs(v) >= limit ? .outOfRange : .value(v)
    }

    /// Parses a whole number (no fraction) into an Int64 range; `.outOfRange` past ±2^53.
    public static func parseInteger(_ b: UnsafeBufferPointer<UInt8>) -> Result {
        switch parse(b, limit: 9_007_199_254_740_992) {
        case .value(let v): return v == v.rounded() ? .value(v) : .invalid
        case let other: return other
        }
    }
}
