import GRDB
import KeelCore

/// What the sourcing signals read from the store, as plain values: forecast demand rates, the
/// price list's scheduled markdowns, the returns-versus-sales history and where online orders go.
/// `KeelSourcing` turns them into per-unit costs.
public enum SourcingSignalInputs {
    /// Mean daily forecast units from the latest successful forecast run, over its first `days`
    /// forecast days.
    public struct ForecastRates: Sendable {
        public struct Rate: Sendable {
            public var locationKey: Int64
            public var itemKey: Int64
            public var perDay: Double
            public init(locationKey: Int64, itemKey: Int64, perDay: Double) {
                self.locationKey = locationKey; self.itemKey = itemKey; self.perDay = perDay
            }
        }
        public var runId: Int64
        /// Days averaged (the run's days in the window).
        public var days: Int
        /// Per (location, item), every channel summed.
        public var byLocation: [Rate]
        /// Per item, the online channels (all but `store`) summed over every location
        /// (`locationKey` is 0).
        public var onlineByItem: [Rate]
        public init(runId: Int64, days: Int, byLocation: [Rate], onlineByItem: [Rate]) {
            self.runId = runId; self.days = days; self.byLocation = byLocation; self.onlineByItem = onlineByItem
        }
    }

    /// A price row that starts after the as-of date below the item's `unit_price`: a scheduled
    /// markdown (`locationKey` nil = every location). The lowest price of the rows starting on
    /// that day (any channel).
    public struct ScheduledMarkdown: Sendable {
        public var itemKey: Int64
        public var locationKey: Int64?
        public var day: Day
        public var price: Double
        public init(itemKey: Int64, locationKey: Int64?, day: Day, price: Double) {
            self.itemKey = itemKey; self.locationKey = locationKey; self.day = day; self.price = price
        }
    }

    /// Units sold and returned per (category, channel) up to the as-of date; `recoveredUnits` are
    /// the returned units put back to sale or credited by the vendor (`restock`, `vendor_return`).
    public struct ReturnHistory: Sendable {
        public var category: String
        public var channel: String
        public var soldUnits: Double
        public var returnedUnits: Double
        public var recoveredUnits: Double
        public init(category: String, channel: String, soldUnits: Double, returnedUnits: Double, recoveredUnits: Double) {
            self.category = category; self.channel = channel; self.soldUnits = soldUnits
            self.returnedUnits = returnedUnits; self.recoveredUnits = recoveredUnits
        }
    }
}

extension KeelDatabase {
    /// Mean daily rates from the latest successful forecast run over its first `days` days; nil
    /// when there is no forecast run.
    public func forecastDailyRates(days: Int) throws -> SourcingSignalInputs.ForecastRates? {
        try pool.read { db in
            guard let run = try Int64.fetchOne(db, sql: "SELECT MAX(run_id) FROM runs WHERE kind = 'forecast' AND status = 'succeeded'"),
                let first = try Int.fetchOne(db, sql: "SELECT MIN(day) FROM forecasts WHERE run_id = ?", arguments: [run])
            else { return nil }
            let last = first + max(days, 1) - 1
            let covered =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(DISTINCT day) FROM forecasts WHERE run_id = ? AND day BETWEEN ? AND ?",
                    arguments: [run, first, last]) ?? 0
            guard covered > 0 else { return nil }
            let n = Double(covered)
            let byLocation = try Row.fetchAll(
                db,
                sql: """
                    SELECT location_key, item_key, SUM(yhat) FROM forecasts
                    WHERE run_id = ? AND location_key IS NOT NULL AND item_key IS NOT NULL AND day BETWEEN ? AND ?
                    GROUP BY location_key, item_key
                    """, arguments: [run, first, last]
            ).map { SourcingSignalInputs.ForecastRates.Rate(locationKey: $0[0], itemKey: $0[1], perDay: max($0[2] as Double, 0) / n) }
            let online = try Row.fetchAll(
                db,
                sql: """
                    SELECT item_key, SUM(yhat) FROM forecasts
                    WHERE run_id = ? AND item_key IS NOT NULL AND channel IS NOT NULL AND channel <> 'store' AND day BETWEEN ? AND ?
                    GROUP BY item_key
                    """, arguments: [run, first, last]
            ).map { SourcingSignalInputs.ForecastRates.Rate(locationKey: 0, itemKey: $0[0], perDay: max($0[1] as Double, 0) / n) }
            return .init(runId: run, days: covered, byLocation: byLocation, onlineByItem: online)
        }
    }

    /// Price rows starting in `(after, through]` below the item's `unit_price`, one per (item,
    /// location or all, start day) with the lowest such price, ordered by item and day.
    public func scheduledMarkdowns(after: Day, through: Day) throws -> [SourcingSignalInputs.ScheduledMarkdown] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT p.item_key, p.location_key, p.start_day, MIN(p.price) FROM prices p JOIN items i ON i.item_key = p.item_key
                    WHERE p.start_day > ? AND p.start_day <= ? AND p.price < i.unit_price
                    GROUP BY p.item_key, p.location_key, p.start_day
                    ORDER BY p.item_key, p.start_day, p.location_key
                    """, arguments: [after.rawValue, through.rawValue]
            ).map {
                let day: Int = $0[2]
                return .init(itemKey: $0[0], locationKey: $0[1], day: Day(rawValue: Int32(day)), price: $0[3])
            }
        }
    }

    /// Units sold and returned per (category, channel) on or before `through`.
    public func returnHistory(through: Day) throws -> [SourcingSignalInputs.ReturnHistory] {
        try pool.read { db in
            var out: [String: SourcingSignalInputs.ReturnHistory] = [:]
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT i.category, s.channel, SUM(s.qty) FROM sales s JOIN items i ON i.item_key = s.item_key
                    WHERE s.day <= ? GROUP BY i.category, s.channel
                    """, arguments: [through.rawValue])
            {
                let category: String = r[0], channel: String = r[1]
                out[category + "\u{1}" + channel] = .init(category: category, channel: channel, soldUnits: r[2], returnedUnits: 0, recoveredUnits: 0)
            }
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT i.category, t.channel, SUM(t.qty),
                           SUM(CASE WHEN t.disposition IN ('restock', 'vendor_return') THEN t.qty ELSE 0 END)
                    FROM returns t JOIN items i ON i.item_key = t.item_key
                    WHERE t.day <= ? GROUP BY i.category, t.channel
                    """, arguments: [through.rawValue])
            {
                let category: String = r[0], channel: String = r[1], key = category + "\u{1}" + channel
                var h = out[key] ?? .init(category: category, channel: channel, soldUnits: 0, returnedUnits: 0, recoveredUnits: 0)
                h.returnedUnits = r[2]
                h.recoveredUnits = r[3]
                out[key] = h
            }
            return out.values.sorted { ($0.category, $0.channel) < ($1.category, $1.channel) }
        }
    }

    /// Units of every order line in the orders table (any status) per ship-to zone: where online
    /// demand goes.
    public func orderUnitsByZone() throws -> [(zoneKey: Int64, units: Double)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT zone_key, SUM(qty) FROM orders GROUP BY zone_key ORDER BY zone_key").map { ($0[0], $0[1]) }
        }
    }
}
