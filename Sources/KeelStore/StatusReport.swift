import GRDB
import KeelCore

/// What `keel status` and `keel demo` print: row counts, date range, stock by node type, sales by
/// channel, and the latest runs.
public struct StatusReport: Sendable, Codable {
    public struct StockByType: Sendable, Codable {
        public var locationType: String
        public var locations: Int
        public var onHand: Double
        public var reserved: Double
        public var damaged: Double
        public var inTransit: Double
        public var availableToSell: Double
        public var stockValueAtCost: Double
    }
    public struct SalesByChannel: Sendable, Codable {
        public var channel: String
        public var lines: Int
        public var units: Double
        public var netRevenue: Double
    }

    public var database: String
    public var migrations: [String]
    public var counts: [String: Int]
    public var firstSalesDay: Day?
    public var lastSalesDay: Day?
    public var stock: [StockByType]
    public var sales: [SalesByChannel]
    public var runs: [RunRecord]

    /// Number of demand series (from `counts`).
    public var demandSeries: Int { counts["demand_series"] ?? 0 }

    public static let countedTables = [
        "items", "locations", "suppliers", "zones", "shipping_rates", "transfer_lanes", "prices", "promotions",
        "sales", "returns", "inventory_snapshots", "inventory_positions", "purchase_orders", "transfers", "settlements",
        "orders", "demand_series", "forecasts", "replenishment_plans", "transfer_plans", "sourcing_plans", "anomalies", "runs",
    ]
}

extension KeelDatabase {
    public func status(runs limit: Int = 10) throws -> StatusReport {
        try pool.read { db in
            var counts: [String: Int] = [:]
            for t in StatusReport.countedTables { counts[t] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(t)") ?? 0 }
            let range = try Row.fetchOne(db, sql: "SELECT MIN(start_day), (SELECT value FROM keel_meta WHERE key = 'demand_end_day') FROM demand_series")
            let stock = try Row.fetchAll(db, sql: """
                SELECT l.type, COUNT(DISTINCT p.location_key), SUM(p.on_hand), SUM(p.reserved), SUM(p.damaged), SUM(p.in_transit),
                       SUM(p.on_hand - p.reserved - p.damaged), SUM(p.on_hand * i.unit_cost)
                FROM inventory_positions p JOIN locations l USING (location_key) JOIN items i USING (item_key)
                GROUP BY l.type ORDER BY l.type
                """).map {
                StatusReport.StockByType(locationType: $0[0], locations: $0[1], onHand: $0[2] ?? 0, reserved: $0[3] ?? 0, damaged: $0[4] ?? 0,
                                         inTransit: $0[5] ?? 0, availableToSell: $0[6] ?? 0, stockValueAtCost: $0[7] ?? 0)
            }
            let sales = try Row.fetchAll(db, sql: """
                SELECT channel, COUNT(*), SUM(qty), SUM(qty * unit_price - discount) FROM sales GROUP BY channel ORDER BY channel
                """).map { StatusReport.SalesByChannel(channel: $0[0], lines: $0[1], units: $0[2] ?? 0, netRevenue: $0[3] ?? 0) }
            return StatusReport(
                database: path, migrations: try KeelDatabase.migrator.appliedMigrations(db), counts: counts,
                firstSalesDay: (range?[0] as Int?).map { Day(rawValue: Int32($0)) },
                lastSalesDay: (range?[1] as Int?).map { Day(rawValue: Int32($0)) },
                stock: stock, sales: sales,
                runs: try RunLog.latest(db, limit: limit))
        }
    }
}
