#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered RFC 4180 writer: fields are quoted only when they contain a comma, a quote or a
/// line break. Numbers are written in a fixed, locale-free form so that the same values always
/// give the same bytes (the generator's "same seed, same files" rests on this).
///
/// Not thread-safe: one writer per file.
public final class CSVWriter {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public let path: String
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var needsComma = false
    public private(set) var rowsWritten = 0

    public init(path: String, header: [String]) throws {
        self.path = path
        guard let f = fopen(path, "wb") else {
            throw Failure(path: path, reason: "cannot create file (\(String(cString: strerror(errno))))")
        }
        file = f
        buffer.reserveCapacity(1 << 16)
        for h in header { field(h) }
        endRow()
        rowsWritten = 0
    }

    deinit { fclose(file) }

    public func field(_ s: String) {
        comma()
        var needsQuotes = false
        for b in s.utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { needsQuotes = true; break }
        if needsQuotes {
            buffer.append(0x22)
            for b in s.utf8 {
                if b == 0x22 { buffer.append(0x22) }
                buffer.append(b)
            }
            buffer.append(0x22)
        } else {
            buffer.append(contentsOf: s.utf8)
        }
    }

    /// An empty cell (the contract's null).
    public func null() { comma() }

    public func field(_ s: String?) { if let s { field(s) } else { null() } }

    public func field(_ v: Int) { comma(); appendInt(v) }

    public func field(_ d: Day) { comma(); d.appendISO(to: &buffer) }

    public func field(_ d: Day?) { if let d { field(d) } else { null() } }

    public func field(_ b: Bool) { comma(); buffer.append(contentsOf: (b ? "true" : "false").utf8) }

    /// A decimal rounded to `decimals` places, trailing zeros trimmed (`12.5`, `3`, `0.125`).
    public func field(_ v: Double, decimals: Int = 2) {
        comma()
        CSVWriter.appendDecimal(v, decimals: decimals, to: &buffer)
    }

    public func field(_ v: Double?, decimals: Int = 2) {
        if let v { field(v, decimals: decimals) } else { null() }
    }

    /// A timestamp `YYYY-MM-DDTHH:MM:SSZ` from seconds since the epoch (UTC).
    public func timestamp(_ epochSeconds: Int64) {
        comma()
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secs = Int(epochSeconds - days * 86_400)
        Day(rawValue: Int32(days)).appendISO(to: &buffer)
        buffer.append(0x54)
        two(secs / 3600); buffer.append(0x3A); two(secs / 60 % 60); buffer.append(0x3A); two(secs % 60)
        buffer.append(0x5A)
    }

    public func endRow() {
        buffer.append(0x0A)
        needsComma = false
        rowsWritten += 1
        if buffer.count >= 1 << 16 { flushBuffer() }
    }

    /// Writes everything buffered; call before reading the file back.
    public func close() throws {
        flushBuffer()
        if fflush(file) != 0 { throw Failure(path: path, reason: "write failed") }
    }

    private func flushBuffer() {
        if !buffer.isEmpty {
            _ = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            buffer.removeAll(keepingCapacity: true)
        }
    }

    @inline(__always) private func comma() {
        if needsComma { buffer.append(0x2C) }
        needsComma = true
    }

    private func two(_ v: Int) { buffer.append(UInt8(48 + v / 10)); buffer.append(UInt8(48 + v % 10)) }

    private func appendInt(_ v: Int) {
        if v < 0 { buffer.append(0x2D) }
        var m = v.magnitude
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { p in
            repeat { p[n] = UInt8(48 + m % 10); m /= 10; n += 1 } while m > 0
            for i in stride(from: n - 1, through: 0, by: -1) { buffer.append(p[i]) }
        }
    }

    /// `v` rounded half away from zero to `decimals` places, trailing zeros trimmed, as text
    /// (quantile levels in column names: 0.5 → "0.5", 0.95 → "0.95").
    public static func decimalText(_ v: Double, decimals: Int = 6) -> String {
        var out: [UInt8] = []
        appendDecimal(v, decimals: decimals, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `v` rounded half away from zero to `decimals` places, trailing zeros trimmed.
    public static func appendDecimal(_ v: Double, decimals: Int, to out: inout [UInt8]) {
        precondition(decimals >= 0 && decimals <= 9)
        guard v.isFinite else { out.append(contentsOf: "nan".utf8); return }
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(v) * Double(scale)).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { out.append(contentsOf: String(v).utf8); return }
        let units = UInt64(scaled)
        if v < 0 && units != 0 { out.append(0x2D) }
        let whole = units / scale
        var frac = units % scale
        out.append(contentsOf: String(whole).utf8)
        if frac != 0 {
            var width = decimals
            while frac % 10 == 0 { frac /= 10; width -= 1 }
            out.append(0x2E)
            let digits = String(frac)
            for _ in 0..<(width - digits.count) { out.append(0x30) }
            out.append(contentsOf: digits.utf8)
        }
    }
}
