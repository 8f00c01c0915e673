import Foundation
import KeelCore

/// Day-by-day demand multipliers: weekday patterns, holidays and retail events, and each
/// department's yearly season (with category events such as Valentine's or back-to-school).
struct RetailCalendar {
    /// Store traffic multiplier per day (weekday × events); 0 when stores are closed.
    var store: [Double]
    /// Online traffic multiplier per day.
    var online: [Double]
    /// True on days with a holiday, retail event or category event.
    var event: [Bool]
    /// Department × day seasonal multiplier (mean about 1 over a year), category events included.
    var season: [[Double]]
    /// Department × day multiplier used by replenishment planning (season × store traffic averaged
    /// over the next week).
    var plan: [[Double]]

    static let storeWeekday: [Double] = [0, 0.84, 0.82, 0.88, 0.95, 1.12, 1.45, 1.12]
    static let onlineWeekday: [Double] = [0, 1.10, 1.06, 1.02, 1.0, 0.93, 0.88, 1.04]

    init(start: Day, days: Int) {
        store = Array(repeating: 1, count: days)
        online = Array(repeating: 1, count: days)
        event = Array(repeating: false, count: days)
        let depts = Assortment.departments
        season = Array(repeating: Array(repeating: 1, count: days), count: depts.count)
        for i in 0..<days {
            let day = start.adding(i)
            let (y, m, dom) = day.civil
            let w = day.isoWeekday
            var sf = RetailCalendar.storeWeekday[w], of = RetailCalendar.onlineWeekday[w]
            let thanksgiving = RetailCalendar.nthWeekday(year: y, month: 11, weekday: 4, n: 4)
            let blackFriday = thanksgiving.adding(1)
            let easter = RetailCalendar.easter(year: y)
            let mothersDay = RetailCalendar.nthWeekday(year: y, month: 5, weekday: 7, n: 2)
            var isEvent = true
            var catBoost: [Int: Double] = [:]
            if day == thanksgiving { sf *= 0.6; of *= 1.3 }
            else if day == blackFriday { sf *= 2.6; of *= 2.8 }
            else if day == blackFriday.adding(1) { sf *= 1.6; of *= 1.7 }
            else if day == blackFriday.adding(2) { sf *= 1.3; of *= 1.5 }
            else if day == blackFriday.adding(3) { of *= 2.4 }  // Cyber Monday
            else if m == 12 && dom <= 23 { sf *= 1.15 + 0.6 * Double(dom - 1) / 22; of *= dom <= 18 ? 1.45 + 0.02 * Double(dom) : 1.1 }
            else if m == 12 && dom == 24 { sf *= 1.3; of *= 0.6 }
            else if m == 12 && dom == 25 { sf = 0; of *= 0.4 }
            else if m == 12 && dom == 26 { sf *= 1.9; of *= 1.6 }
            else if m == 12 { sf *= 1.3; of *= 1.25 }
            else if m == 1 && dom == 1 { sf *= 0.5 }
            else if m == 1 && dom <= 14 { sf *= 1.15; of *= 1.15 }
            else if day == easter.adding(-2) || day == easter.adding(-1) { sf *= 1.2 }
            else if day == easter { sf *= 0.7 }
            else { isEvent = false }
            // Category events.
            if m == 2 && (7...14).contains(dom) { catBoost[6] = 1.5; catBoost[4] = 1.3; isEvent = true }
            if day < mothersDay && mothersDay - day <= 7 { catBoost[6] = 1.45; catBoost[4] = 1.3; catBoost[0] = 1.15; isEvent = true }
            if day < easter && easter - day <= 7 { catBoost[7] = 1.35; catBoost[2] = 1.25; catBoost[5] = 1.15; isEvent = true }
            if (m == 8) || (m == 9 && dom <= 5) { catBoost[2] = 1.5; catBoost[3] = 1.3; catBoost[4] = 1.1; isEvent = true }
            store[i] = sf
            online[i] = of
            event[i] = isEvent
            let doy = Double(day.dayOfYear)
            for (k, d) in depts.enumerated() {
                var f = exp(d.amplitude * cos(2 * Double.pi * (doy - d.peak) / 365.25)) / (1 + d.amplitude * d.amplitude / 4)
                if let b = catBoost[d.category] { f *= b }
                season[k][i] = f
            }
        }
        var plan = season
        for i in 0..<days {
            var s = 0.0
            var n = 0
            for j in i..<min(days, i + 7) { s += store[j]; n += 1 }
            let avg = s / Double(n)
            for k in plan.indices { plan[k][i] = season[k][i] * avg }
        }
        self.plan = plan
    }

    /// The n-th given ISO weekday of a month.
    static func nthWeekday(year: Int, month: Int, weekday: Int, n: Int) -> Day {
        let first = Day(year: year, month: month, day: 1)!
        let offset = (weekday - first.isoWeekday + 7) % 7
        return first.adding(offset + 7 * (n - 1))
    }

    /// Western Easter Sunday (anonymous Gregorian algorithm).
    static func easter(year y: Int) -> Day {
        let a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1
        return Day(year: y, month: month, day: day)!
    }
}
