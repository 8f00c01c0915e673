import GRDB
import KeelCore

/// The price and promotion of every demand series, day by day over a span that may run past the
/// history into the forecast horizon: what the forecasts know in advance about each day.
///
/// A day's price is the contract's effective price for the series' sku, channel and location
/// (`PriceBook.effective`: an active promotion's price, else the most specific list price row, else
/// the item's `unit_price`; a discount promotion applies to whichever list price holds);
/// `promotion` is 1 on days a promotion covers the series, else 0. The prices are the book's, not the average paid that
/// `DemandHistory` keeps: the same source over history and horizon, and defined on days with no sale.
public struct DemandDrivers: Sendable {
    /// The first and last day covered (inclusive).
    public let firstDay: Day
    public let days: Int
    /// Series-major, `days` values per series, in the order of the keys given.
    public private(set) var price: [Double]
    public private(set) var promotion: [Double]
    /// Whether the series' price or promotion changes at all over the span (a series whose drivers
    /// never move carries no information about them, and its forecast needs no adjustment).
    public private(set) var varies: [Bool]

    public func prices(_ s: Int) -> ArraySlice<Double> { price[(s * days)..<((s + 1) * days)] }
    public func promotions(_ s: Int) -> ArraySlice<Double> { promotion[(s * days)..<((s + 1) * days)] }
    public var varyingCount: Int { varies.lazy.filter { $0 }.count }

    /// Drivers for `keys` over `firstDay … lastDay`; nil when the database has no price and no
    /// promotion rows (every price is then the item's constant `unit_price`: nothing varies).
    public static func load(_ db: Database, keys: [DemandPanel.Key], from firstDay: Day, through lastDay: Day) throws -> DemandDrivers? {
        guard lastDay >= firstDay else { throw StoreError.invalid("drivers: the span ends (\(lastDay)) before it starts (\(firstDay))") }
        let book = try PriceBook(db)
        guard !book.isEmpty else { return nil }
        var unitPrice: [Int64: Double] = [:]
        let items = try RawStatement(db, "SELECT item_key, unit_price FROM items")
        while try items.step() { unitPrice[items.int64(0)] = items.double(1) }

        let days = Int(lastDay.rawValue - firstDay.rawValue) + 1
        var prices = [Double](repeating: 0, count: keys.count * days)
        var promotions = [Double](repeating: 0, count: keys.count * days)
        var varies = [Bool](repeating: false, count: keys.count)
        prices.withUnsafeMutableBufferPointer { price in
            promotions.withUnsafeMutableBufferPointer { promotion in
                for (s, key) in keys.enumerated() {
                    let base = s * days
                    // The item's unit_price is the list price where no row applies (a discount applies to it).
                    book.paint(item: key.itemKey, channel: key.channel.code, location: key.locationKey, firstDay: firstDay.rawValue,
                               listWhereNone: unitPrice[key.itemKey],
                               price: UnsafeMutableBufferPointer(rebasing: price[base..<(base + days)]),
                               promoted: UnsafeMutableBufferPointer(rebasing: promotion[base..<(base + days)]))
                    varies[s] = (base + 1..<base + days).contains { price[$0] != price[$0 - 1] || promotion[$0] != promotion[$0 - 1] }
                }
            }
        }
        return DemandDrivers(firstDay: firstDay, days: days, price: prices, promotion: promotions, varies: varies)
    }
}

extension KeelDatabase {
    /// `DemandDrivers.load` in one read transaction.
    public func demandDrivers(keys: [DemandPanel.Key], from firstDay: Day, through lastDay: Day) throws -> DemandDrivers? {
        try pool.read { db in try DemandDrivers.load(db, keys: keys, from: firstDay, through: lastDay) }
    }
}
