#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `printf`-style fixed-point text of a number (`%.Nf`): the same characters as
/// `String(format: "%.2f", v)` — the exact binary value rounded half to even — without
/// Foundation's format-string machinery, which dominated the cost of the options endpoint's
/// per-node reasons.
///
/// With 0–2 decimals and |v| < 2⁶³ (every amount of money and count here) the digits come from
/// integer arithmetic on the double's exact significand and exponent; otherwise the C library
/// writes them (`vsnprintf`).
public enum DecimalText {
    public static func fixed(_ v: Double, _ decimals: Int) -> String {
        if decimals >= 0, decimals <= 2, v.isFinite, v.magnitude < 0x1p63 { return exact(v, decimals) }
        return printf(v, decimals)
    }

    /// Rounds m · 2^e · 10^d to an integer, half to even, exactly (m < 2⁵³, so m · 100 < 2⁶⁰).
    static func exact(_ v: Double, _ d: Int) -> String {
        let scale: UInt64 = d == 0 ? 1 : d == 1 ? 10 : 100
        let m = v.significandBitPattern | (v.isNormal ? 1 << 52 : 0)
        let e = v.isNormal ? Int(v.exponent) - 52 : -1074
        var units: UInt64  // v · 10^d, rounded
        if m == 0 {
            units = 0
        } else if e >= 0 {
            let whole = m << UInt64(e)  // |v| < 2⁶³: an integer
            guard whole <= UInt64.max / scale else { return printf(v, d) }
            units = whole * scale
        } else if -e >= 64 {
            units = 0  // |v| < 2⁵³ · 2⁻⁶⁴ < 0.0005: rounds to zero at two decimals
        } else {
            let s = UInt64(-e), scaled = m * scale
            let q = scaled >> s, r = scaled & ((1 << s) - 1), half: UInt64 = 1 << (s - 1)
            units = r > half || (r == half && q & 1 == 1) ? q + 1 : q
        }
        var digits = String(units)
        if d > 0 {
            if digits.count <= d { digits = String(repeating: "0", count: d + 1 - digits.count) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -d))
        }
        return v.sign == .minus ? "-" + digits : digits
    }

    static func printf(_ v: Double, _ decimals: Int) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 352) { buf in
            let n = withVaList([Int32(decimals), v]) { vsnprintf(buf.baseAddress!, buf.count, "%.*f", $0) }
            guard n >= 0, Int(n) < buf.count else { return String(v) }
            return String(decoding: UnsafeRawBufferPointer(start: buf.baseAddress!, count: Int(n)), as: UTF8.self)
        }
    }
}
