/// A calendar date, stored as the number of days since 1970-01-01 (proleptic Gregorian).
///
/// Days are the unit of every demand series, plan and rule in Keel. The conversions use the
/// civil-from-days / days-from-civil algorithms (H. Hinnant), exact for every year 0…9999.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int32

    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Returns nil for an impossible date (month 13, February 30, …).
    public init?(year: Int, month: Int, day: Int) {
        guard (0...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= Day.daysInMonth(year: year, month: month) else { return nil }
        rawValue = Int32(Day.daysFromCivil(year: year, month: month, day: day))
    }

    /// Parses `YYYY-MM-DD`; nil when the text is not exactly that or names an impossible date.
    public init?(_ text: some StringProtocol) {
        var bytes = Array(text.utf8)
        guard let d = bytes.withUnsafeMutableBufferPointer({ Day.parse(UnsafeBufferPointer($0)) })
        else { return nil }
        self = d
    }

    /// Parses the first ten bytes as `YYYY-MM-DD`. Returns nil on any other content.
    @inlinable
    public static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Day? {
        guard b.count >= 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        var y = 0, m = 0, d = 0
        for i in 0..<4 { let c = Int(b[i]) &- 48; guard c >= 0 && c <= 9 else { return nil }; y = y * 10 + c }
        for i in 5..<7 { let c = Int(b[i]) &- 48; guard c >= 0 && c <= 9 else { return nil }; m = m * 10 + c }
        for i in 8..<10 { let c = Int(b[i]) &- 48; guard c >= 0 && c <= 9 else { return nil }; d = d * 10 + c }
        return Day(year: y, month: m, day: d)
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    @inlinable
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// (year, month, day) of this date.
    public var civil: (year: Int, month: Int, day: Int) {
        let z = Int(rawValue) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// ISO weekday: Monday = 1 … Sunday = 7.
    public var isoWeekday: Int {
        let w = (Int(rawValue) + 3) % 7  // 1970-01-01 was a Thursday
        return (w < 0 ? w + 7 : w) + 1
    }

    /// Day of the year, 1…366.
    public var dayOfYear: Int {
        let c = civil
        return Int(rawValue) - Day.daysFromCivil(year: c.year, month: 1, day: 1) + 1
    }

    public func adding(_ days: Int) -> Day { Day(rawValue: rawValue + Int32(days)) }
    public static func - (lhs: Day, rhs: Day) -> Int { Int(lhs.rawValue) - Int(rhs.rawValue) }
    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `YYYY-MM-DD`.
    public var description: String {
        let c = civil
        return Day.pad(c.year, 4) + "-" + Day.pad(c.month, 2) + "-" + Day.pad(c.day, 2)
    }

    /// Appends `YYYY-MM-DD` as ASCII bytes (no allocation beyond the buffer's growth).
    public func appendISO(to out: inout [UInt8]) {
        let c = civil
        out.append(UInt8(48 + c.year / 1000 % 10)); out.append(UInt8(48 + c.year / 100 % 10))
        out.append(UInt8(48 + c.year / 10 % 10)); out.append(UInt8(48 + c.year % 10)); out.append(0x2D)
        out.append(UInt8(48 + c.month / 10)); out.append(UInt8(48 + c.month % 10)); out.append(0x2D)
        out.append(UInt8(48 + c.day / 10)); out.append(UInt8(48 + c.day % 10))
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
