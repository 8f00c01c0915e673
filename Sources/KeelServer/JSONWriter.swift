/// A byte-level JSON writer for the hot answers (the options endpoint), byte for byte what
/// Foundation's `JSONEncoder` with `.sortedKeys` writes — callers write keys in sorted order —
/// at a small fraction of its cost (no boxing into an intermediate tree, no key conversion).
///
/// Numbers: integers as decimal text; doubles as Swift's shortest round-trip `description`
/// without a trailing `.0`; a NaN or infinity throws (JSON has no spelling for it). Strings are
/// escaped as Foundation does (`"`, `\`, `/` and control characters).
struct JSONWriter {
    struct NonFiniteNumber: Error, CustomStringConvertible {
        var key: String
        var description: String { "the value of \(key) is not a finite number" }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private(set) var bytes: [UInt8] = []
    /// True right after `{`, `[` or a key: the next value takes no comma.
    private var first = true

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    private mutating func separate() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
    }

    /// A complete value (an object, an array, a scalar) written earlier, as bytes, without a
    /// leading separator.
    mutating func element(_ raw: ArraySlice<UInt8>) {
        separate()
        bytes.append(contentsOf: raw)
        first = false
    }

    mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); first = true }
    mutating func endObject() { bytes.append(UInt8(ascii: "}")); first = false }
    mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); first = true }
    mutating func endArray() { bytes.append(UInt8(ascii: "]")); first = false }

    /// Writes `"key":`; the value follows.
    mutating func key(_ key: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        first = true
    }

    mutating func value(_ s: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var s = s
        // Fast path: nothing to escape (ids, reasons) — one copy of the contiguous UTF-8.
        let plain = s.withUTF8 { utf8 -> Bool in
            for b in utf8 where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b == UInt8(ascii: "/") { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
            case UInt8(ascii: "/"): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
            case 0x08: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex = Self.hexDigits
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                bytes.append(hex[Int(b >> 4)])
                bytes.append(hex[Int(b & 0x0F)])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func value(_ b: Bool) {
        separate()
        if b { bytes.append(contentsOf: [0x74, 0x72, 0x75, 0x65]) } else { bytes.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65]) }
    }

    mutating func value(_ i: Int) {
        separate()
        bytes.append(contentsOf: i.description.utf8)
    }

    mutating func value(_ d: Double, key: StaticString) throws {
        guard d.isFinite else { throw NonFiniteNumber(key: "\(key)") }
        separate()
        let text = d.description
        bytes.append(contentsOf: text.hasSuffix(".0") ? text.utf8.dropLast(2) : text.utf8[...])
    }

    // One call per field, in the caller's (sorted) key order.
    mutating func field(_ k: StaticString, _ v: String) { key(k); value(v) }
    mutating func field(_ k: StaticString, _ v: Bool) { key(k); value(v) }
    mutating func field(_ k: StaticString, _ v: Int) { key(k); value(v) }
    mutating func field(_ k: StaticString, _ v: Double) throws { key(k); try value(v, key: k) }
}
