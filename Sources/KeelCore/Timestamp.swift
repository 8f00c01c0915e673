/// An instant parsed from the contract's `*_at` / `timestamp` columns.
///
/// Accepted forms: `YYYY-MM-DD` (midnight, local), `YYYY-MM-DDTHH:MM[:SS[.fraction]]` optionally
/// followed by `Z` or `±HH:MM` / `±HHMM`; a space may stand for `T`. `epochSeconds` is UTC when an
/// offset is given (local time is taken as UTC otherwise); `localDay` is the calendar date as
/// written, which is the business day the event belongs to (a 23:30 sale at a store with a -05:00
/// offset belongs to that store's day, not to the next UTC day).
public struct Timestamp: Hashable, Sendable {
    public var epochSeconds: Int64
    public var localDay: Day

    public init(epochSeconds: Int64, localDay: Day) {
        self.epochSeconds = epochSeconds
        self.localDay = localDay
    }

    /// Parses the bytes; nil when they are not one of the accepted forms.
    public static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        guard let day = Day.parse(b) else { return nil }
        if b.count == 10 { return Timestamp(epochSeconds: Int64(day.rawValue) * 86_400, localDay: day) }
        guard b.count >= 16, b[10] == 0x54 || b[10] == 0x74 || b[10] == 0x20, b[13] == 0x3A else { return nil }
        func two(_ i: Int) -> Int? {
            let a = Int(b[i]) &- 48, c = Int(b[i + 1]) &- 48
            guard a >= 0, a <= 9, c >= 0, c <= 9 else { return nil }
            return a * 10 + c
        }
        guard let hh = two(11), let mm = two(14), hh <= 23, mm <= 59 else { return nil }
        var ss = 0
        var i = 16
        if i < b.count, b[i] == 0x3A {
            guard i + 2 < b.count + 0, let s = two(i + 1), s <= 60 else { return nil }
            ss = s; i += 3
            if i < b.count, b[i] == 0x2E || b[i] == 0x2C {
                i += 1
                let start = i
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
                guard i > start else { return nil }
            }
        }
        var offset = 0
        if i < b.count {
            switch b[i] {
            case 0x5A, 0x7A:  // Z
                i += 1
            case 0x2B, 0x2D:  // + -
                let sign = b[i] == 0x2D ? -1 : 1
                guard i + 3 <= b.count, let oh = two(i + 1), oh <= 23 else { return nil }
                i += 3
                var om = 0
                if i < b.count {
                    if b[i] == 0x3A { i += 1 }
                    guard i + 2 <= b.count, let m = two(i), m <= 59 else { return nil }
                    om = m; i += 2
                }
                offset = sign * (oh * 3600 + om * 60)
            default:
                return nil
            }
        }
        guard i == b.count else { return nil }
        let local = Int64(day.rawValue) * 86_400 + Int64(hh * 3600 + mm * 60 + ss)
        return Timestamp(epochSeconds: local - Int64(offset), localDay: day)
    }

    public init?(_ text: String) {
        var bytes = Array(text.utf8)
        guard let t = bytes.withUnsafeMutableBufferPointer({ Timestamp.parse(UnsafeBufferPointer($0)) }) else { return nil }
        self = t
    }
}
