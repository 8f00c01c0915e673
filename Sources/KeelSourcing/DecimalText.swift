#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `printf`-style fixed-point text of a number (`%.Nf`), written by the C library into a stack
/// buffer: the same characters as `String(format: "%.2f", v)` (which formats through the C
/// library too) without Foundation's format-string machinery, which dominated the cost of the
/// options endpoint's per-node reasons.
public enum DecimalText {
    public static func fixed(_ v: Double, _ decimals: Int) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 352) { buf in
            let n = withVaList([Int32(decimals), v]) { vsnprintf(buf.baseAddress!, buf.count, "%.*f", $0) }
            guard n >= 0, Int(n) < buf.count else { return String(v) }
            return String(decoding: UnsafeRawBufferPointer(start: buf.baseAddress!, count: Int(n)), as: UTF8.self)
        }
    }
}
