import GRDB
import KeelCore

/// Price and promotion rows in memory: the contract's price semantics (the most specific list
/// price row; an active promotion's price over it) answered per sku, channel, location and day
/// without a correlated SQL subquery per question. Used to price every sales line in one pass
/// (anomaly detection) and to give the forecasts their price and promotion drivers over history
/// and horizon (`DemandDrivers`). Channels are small integer codes (`code(_:)`, `Channel.code`).
public struct PriceBook: Sendable {
    struct ListRow: Sendable { var location: Int64; var start: Int32; var end: Int32; var price: Double }
    /// A promotion row: its price (`promo_price`), or nil and its `discount_pct` off the list price.
    struct PromoRow: Sendable {
        var id: String; var channel: Int; var location: Int64; var start: Int32; var end: Int32; var price: Double?; var discount: Double
        /// The promoted price given the day's list price (nil when a discount has no list price to apply to).
        @inline(__always) func price(list: Double?) -> Double? {
            if let price { return price }
            return list.map { ($0 * (1 - discount) * 100).rounded() / 100 }
        }
    }

    /// (item × 8 + channel) → list price rows.
    private var lists: [Int64: [ListRow]] = [:]
    /// item → promotion rows.
    private var promos: [Int64: [PromoRow]] = [:]

    /// The channels' texts in `Channel.code` order; an unknown text has code 7.
    public static let channels = Channel.allCases.map(\.rawValue)
    public static func code(_ channel: String) -> Int { Channel(rawValue: channel)?.code ?? 7 }
    /// The SQL expression giving a channel column's code.
    public static func sqlCode(_ column: String) -> String {
        "CASE \(column) " + channels.enumerated().map { "WHEN '\($0.element)' THEN \($0.offset)" }.joined(separator: " ") + " ELSE 7 END"
    }

    /// Whether the book holds no price and no promotion row.
    public var isEmpty: Bool { lists.isEmpty && promos.isEmpty }

    public init(_ db: Database) throws {
        let p = try Row.fetchCursor(
            db,
            sql:
                "SELECT item_key, \(PriceBook.sqlCode("channel")), IFNULL(location_key, -1), start_day, IFNULL(end_day, 2147483647), price FROM prices"
        )
        while let r = try p.next() {
            let item: Int64 = r[0], ch: Int64 = r[1]
            lists[item * 8 + ch, default: []].append(
                ListRow(location: r[2], start: Int32(r[3] as Int64), end: Int32(min(r[4] as Int64, Int64(Int32.max))), price: r[5]))
        }
        // Channel and location empty = all (-1); the price, or else the discount.
        let m = try Row.fetchCursor(
            db,
            sql: """
                SELECT item_key, promo_id, channel, IFNULL(location_key, -1), start_day, end_day, promo_price, IFNULL(discount_pct, 0)
                FROM promotions
                """)
        while let r = try m.next() {
            let channel: String? = r[2]
            promos[r[0], default: []].append(
                PromoRow(
                    id: r[1], channel: channel.map(PriceBook.code) ?? -1, location: r[3],
                    start: Int32(r[4] as Int64), end: Int32(r[5] as Int64), price: r[6], discount: r[7]))
        }
    }

    /// The effective list price: the most specific row (location over all, then the later start).
    @inline(__always)
    public func list(item: Int64, channel: Int, location: Int64, day: Int32) -> Double? {
        guard let rows = lists[item * 8 + Int64(channel)] else { return nil }
        var best: ListRow? = nil
        for r in rows where r.start <= day && day <= r.end && (r.location == -1 || r.location == location) {
            if let b = best {
                let rSpecific = r.location != -1, bSpecific = b.location != -1
                if rSpecific != bSpecific {
                    if rSpecific { best = r }
                } else if r.start > b.start {
                    best = r
                }
            } else {
                best = r
            }
        }
        return best?.price
    }

    /// The price of a promotion covering the line (the one it names, or any when it names none).
    @inline(__always)
    public func promotion(item: Int64, channel: Int, location: Int64, day: Int32, named: String?, list: Double?) -> (covered: Bool, price: Double?) {
        guard let rows = promos[item] else { return (false, nil) }
        for r in rows
        where r.start <= day && day <= r.end && (r.channel == -1 || r.channel == channel) && (r.location == -1 || r.location == location) {
            if let named, r.id != named { continue }
            return (true, r.price(list: list))
        }
        return (false, nil)
    }

    /// The price a customer pays on the day (contract semantics): an active promotion covering the
    /// sku, channel and location at its price, else the effective list price; nil when the book
    /// has neither. `promoted` says whether a promotion set it. `listWhereNone` is the list price
    /// on days no list row covers (e.g. the item's `unit_price`), which a discount then applies to.
    @inline(__always)
    public func effective(item: Int64, channel: Int, location: Int64, day: Int32, listWhereNone: Double? = nil) -> (price: Double?, promoted: Bool) {
        let list = list(item: item, channel: channel, location: location, day: day) ?? listWhereNone
        let promo = promotion(item: item, channel: channel, location: location, day: day, named: nil, list: list)
        if promo.covered, let price = promo.price { return (price, true) }
        return (list, promo.covered)
    }

    /// `effective(item:channel:location:day:)` for `price.count` consecutive days from `firstDay`:
    /// the price into `price` (NaN where the book has none) and 1/0 into `promoted`. Paints each
    /// applicable row over its days — list rows from the least to the most specific and later
    /// start, then promotions in the book's order onto days not yet covered — so the work is
    /// rows × days painted, not days × rows scanned. Same answers as the day-by-day lookup.
    public func paint(item: Int64, channel: Int, location: Int64, firstDay: Int32, listWhereNone: Double? = nil,
                      price: UnsafeMutableBufferPointer<Double>, promoted: UnsafeMutableBufferPointer<Double>) {
        let n = price.count
        precondition(promoted.count == n, "one promotion flag per day")
        price.update(repeating: listWhereNone ?? .nan)
        promoted.update(repeating: 0)
        guard n > 0 else { return }
        let lastDay = firstDay + Int32(n - 1)
        @inline(__always) func span(_ start: Int32, _ end: Int32) -> Range<Int>? {
            let lo = max(start, firstDay), hi = min(end, lastDay)
            return lo <= hi ? Int(lo - firstDay)..<Int(hi - firstDay + 1) : nil
        }
        if let rows = lists[item * 8 + Int64(channel)] {
            // Ascending (specific, start): later paints win, as in `list(item:channel:location:day:)`.
            let applicable = rows.filter { $0.location == -1 || $0.location == location }
                .sorted { ($0.location != -1 ? 1 : 0, $0.start) < ($1.location != -1 ? 1 : 0, $1.start) }
            for r in applicable { if let days = span(r.start, r.end) { for d in days { price[d] = r.price } } }
        }
        if let rows = promos[item] {
            for r in rows where (r.channel == -1 || r.channel == channel) && (r.location == -1 || r.location == location) {
                guard let days = span(r.start, r.end) else { continue }
                for d in days where promoted[d] == 0 {
                    promoted[d] = 1
                    price[d] = r.price(list: price[d].isFinite ? price[d] : nil) ?? .nan
                }
            }
        }
    }
}
