import KeelCore

/// Date ticks for a day axis: every day, every other day, weekly on Mondays, fortnightly, or on
/// the first of every 1, 2, 3, 6 or 12 months — the finest spacing that gives at most `maxTicks`.
public struct DayTicks: Sendable, Equatable {
    public var days: [Day]
    /// Whether the ticks are months (labels then name the month, `Mar 2026`).
    public var monthly: Bool

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public init(from: Day, to: Day, maxTicks: Int = 7) {
        let a = Swift.min(from, to), b = Swift.max(from, to)
        let limit = Swift.max(2, maxTicks)
        for step in [1, 2] where (b - a) / step + 1 <= limit {
            days = stride(from: 0, through: b - a, by: step).map { a.adding($0) }
            monthly = false
            return
        }
        for step in [7, 14] {
            // The first Monday on or after `a`.
            let first = a.adding((8 - a.isoWeekday) % 7)
            let ticks = first > b ? [] : stride(from: 0, through: b - first, by: step).map { first.adding($0) }
            if ticks.count <= limit, !ticks.isEmpty {
                days = ticks; monthly = false
                return
            }
        }
        for months in [1, 2, 3, 6, 12, 24, 60] {
            var ticks: [Day] = []
            let c = a.civil
            // First day of a month on or after `a` whose month index is a multiple of `months`.
            var index = c.year * 12 + (c.month - 1) + (c.day == 1 ? 0 : 1)
            index = ((index + months - 1) / months) * months
            while true {
                guard let d = Day(year: index / 12, month: index % 12 + 1, day: 1), d <= b else { break }
                ticks.append(d)
                index += months
            }
            if ticks.count <= limit {
                days = ticks.isEmpty ? [a] : ticks; monthly = !ticks.isEmpty
                return
            }
        }
        days = [a, b]; monthly = false
    }

    /// `Mar 2` for day ticks, `Mar 2026` for month ticks.
    public func label(_ d: Day) -> String {
        let c = d.civil
        return monthly ? "\(DayTicks.monthNames[c.month - 1]) \(c.year)" : "\(DayTicks.monthNames[c.month - 1]) \(c.day)"
    }
}
