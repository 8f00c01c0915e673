import KeelCore
import KeelStore

extension KPIReport {
    /// The default trailing window for rates, in days (`asOf − 27 … asOf`).
    public static let defaultWindowDays = 28

    /// Computes every KPI from one read-only snapshot of `database` (one read transaction: a run
    /// committing meanwhile is either wholly seen or not at all).
    ///
    /// - Parameters:
    ///   - asOf: the window end (default: the latest sales or returns day).
    ///   - windowDays: the trailing window's length (≥ 1).
    /// - Throws: `StoreError.invalid` for a window shorter than a day; `StoreError.notFound` when no
    ///   as-of is given and the database holds no sales or returns.
    public static func compute(_ database: KeelDatabase, asOf requested: Day? = nil,
                               windowDays: Int = KPIReport.defaultWindowDays) throws -> KPIReport {
        guard windowDays >= 1 else { throw StoreError.invalid("the KPI window must be at least 1 day (got \(windowDays))") }
        return try database.readSnapshot { reader in
            let latest = try reader.scalar("SELECT MAX(d) FROM (SELECT MAX(day) AS d FROM sales UNION ALL SELECT MAX(day) FROM returns)").int
            guard let asOf = requested ?? latest.map({ Day(rawValue: Int32($0)) }) else {
                throw StoreError.notFound("no sales or returns in the database, so there is no latest transaction day: import transactions or give --as-of")
            }
            let calc = KPICalculator(reader: reader, asOf: asOf, windowStart: asOf.adding(-(windowDays - 1)))
            return KPIReport(asOf: asOf, windowStart: calc.windowStart, windowDays: windowDays,
                             orders: try calc.orders(),
                             sourcingFill: try calc.sourcingFill(),
                             inventoryAccuracy: try calc.inventoryAccuracy(),
                             returns: try calc.returns(),
                             fulfilmentCost: try calc.fulfilmentCost(),
                             grossMargin: try calc.grossMargin(),
                             forecastAccuracy: try calc.forecastAccuracy(),
                             openAnomalies: try calc.openAnomalies())
        }
    }
}

/// The queries behind `KPIReport`, over one snapshot. Not `Sendable` (it holds the snapshot).
struct KPICalculator {
    let reader: SnapshotReader
    let asOf: Day
    let windowStart: Day

    var window: [CellValue] { [.integer(Int64(windowStart.rawValue)), .integer(Int64(asOf.rawValue))] }
    var windowText: String { "\(windowStart)…\(asOf)" }

    /// Fulfilment path of a sourced row (`sp` joined to its location `l` and order line `o`).
    static let sourcingPathSQL = """
        CASE WHEN l.type = 'dc' THEN 'dc' WHEN l.type = 'dropship' THEN 'dropship' WHEN l.type = '3pl' THEN '3pl'
             WHEN COALESCE(o.service, sp.service) = 'pickup' THEN 'pickup' ELSE 'ship_from_store' END
        """

    /// Fulfilment path of a sales line (`s` joined to its location `l`): the store channel is
    /// `in_store`; otherwise the fulfilling node's type, a store node being `pickup` when the
    /// line's order is a pickup order in the orders table, else `ship_from_store`.
    static let salesPathSQL = """
        CASE WHEN s.channel = 'store' THEN 'in_store'
             WHEN l.type = 'dc' THEN 'dc' WHEN l.type = 'dropship' THEN 'dropship' WHEN l.type = '3pl' THEN '3pl'
             WHEN s.order_id IS NOT NULL AND EXISTS (SELECT 1 FROM orders o WHERE o.order_id = s.order_id AND o.service = 'pickup') THEN 'pickup'
             ELSE 'ship_from_store' END
        """

    // MARK: Orders

    func orders() throws -> Measured<OrderStatusKPI> {
        guard try reader.scalar("SELECT COUNT(*) FROM orders").int ?? 0 > 0 else {
            return .unavailable("no orders imported (orders.csv)")
        }
        let r = try reader.query("""
            SELECT COUNT(*), SUM(status = 'cancelled'), IFNULL(SUM(qty), 0), IFNULL(SUM(CASE WHEN status = 'cancelled' THEN qty ELSE 0 END), 0),
                   COUNT(DISTINCT order_id), COUNT(DISTINCT CASE WHEN status = 'cancelled' THEN order_id END)
            FROM orders WHERE created_day BETWEEN ? AND ?
            """, window)[0]
        guard let lines = r[0].double, lines > 0 else { return .unavailable("no orders created in the window \(windowText)") }
        return .value(OrderStatusKPI(cancelledLines: Ratio(r[1].double ?? 0, of: lines),
                                     cancelledUnits: Ratio(r[3].double ?? 0, of: r[2].double ?? 0),
                                     cancelledOrders: Ratio(r[5].double ?? 0, of: r[4].double ?? 0)))
    }

    // MARK: Sourcing

    /// The latest successful sourcing run at or before as-of: a run of kind `sourcing` or `route`,
    /// or any successful run that wrote sourcing lines.
    func latestSourcingRun() throws -> Int64? {
        try reader.scalar("""
            SELECT MAX(r.run_id) FROM runs r WHERE r.status = 'succeeded' AND (r.as_of IS NULL OR r.as_of <= ?)
              AND (r.kind IN ('sourcing', 'route') OR EXISTS (SELECT 1 FROM sourcing_plans sp WHERE sp.run_id = r.run_id))
            """, [.integer(Int64(asOf.rawValue))]).int
    }

    static let noSourcingRun = "no successful sourcing run (keel route) at or before the as-of date yet"

    func sourcingFill() throws -> Measured<SourcingFillKPI> {
        guard let run = try latestSourcingRun() else { return .unavailable(Self.noSourcingRun) }
        let lines = try reader.query("""
            SELECT order_id, SUM(qty), SUM(CASE WHEN location_key IS NOT NULL THEN qty ELSE 0 END)
            FROM sourcing_plans WHERE run_id = ? GROUP BY order_id, line ORDER BY order_id, line
            """, [.integer(run)])
        var units = 0.0, sourcedUnits = 0.0, fullLines = 0, orders = 0, fullOrders = 0
        var currentOrder: String?, currentFull = true
        for l in lines {
            let order = l[0].description, qty = l[1].double ?? 0, sourced = l[2].double ?? 0
            if order != currentOrder {
                if currentOrder != nil, currentFull { fullOrders += 1 }
                currentOrder = order; orders += 1; currentFull = true
            }
            units += qty; sourcedUnits += sourced
            let full = sourced >= qty
            if full { fullLines += 1 } else { currentFull = false }
        }
        if currentOrder != nil, currentFull { fullOrders += 1 }
        let n = Double(lines.count)
        return .value(SourcingFillKPI(runId: run, unitFillRate: Ratio(sourcedUnits, of: units), lineFillRate: Ratio(Double(fullLines), of: n),
                                      orderFillRate: Ratio(Double(fullOrders), of: Double(orders)),
                                      unfulfillableLines: Ratio(n - Double(fullLines), of: n),
                                      unfulfillableUnits: Ratio(units - sourcedUnits, of: units)))
    }

    func fulfilmentCost() throws -> Measured<FulfilmentCostKPI> {
        guard let run = try latestSourcingRun() else { return .unavailable(Self.noSourcingRun) }
        let from = """
            FROM sourcing_plans sp JOIN locations l ON l.location_key = sp.location_key
            LEFT JOIN orders o ON o.order_id = sp.order_id AND o.line = sp.line WHERE sp.run_id = ?
            """
        func cost(_ r: [CellValue], path: String) -> PathCost {
            let orders = Int(r[0].int ?? 0), ship = r[2].double ?? 0, handling = r[3].double ?? 0
            return PathCost(path: path, orders: orders, units: r[1].double ?? 0, shipCost: ship, handlingCost: handling,
                            costPerOrder: orders == 0 ? nil : (ship + handling) / Double(orders))
        }
        let byPath = try reader.query("""
            SELECT COUNT(DISTINCT sp.order_id), SUM(sp.qty), IFNULL(SUM(sp.ship_cost), 0), IFNULL(SUM(sp.handling_cost), 0),
                   \(Self.sourcingPathSQL) AS path
            \(from) GROUP BY path ORDER BY path
            """, [.integer(run)]).map { cost($0, path: $0[4].description) }
        let total = try reader.query("""
            SELECT COUNT(DISTINCT sp.order_id), IFNULL(SUM(sp.qty), 0), IFNULL(SUM(sp.ship_cost), 0), IFNULL(SUM(sp.handling_cost), 0) \(from)
            """, [.integer(run)])[0]
        return .value(FulfilmentCostKPI(runId: run, byPath: byPath, total: cost(total, path: "total")))
    }

    // MARK: Margin

    func grossMargin() throws -> Measured<GrossMarginKPI> {
        func lines(_ key: String) throws -> [MarginLine] {
            try reader.query("""
                SELECT \(key) AS k, SUM(s.qty), SUM(s.qty * s.unit_price - s.discount), SUM(s.qty * i.unit_cost)
                FROM sales s JOIN items i ON i.item_key = s.item_key JOIN locations l ON l.location_key = s.location_key
                WHERE s.day BETWEEN ? AND ? GROUP BY k ORDER BY k
                """, window).map { r in
                let revenue = r[2].double ?? 0, cost = r[3].double ?? 0
                return MarginLine(key: r[0].description, units: r[1].double ?? 0, netRevenue: revenue, cost: cost,
                                  grossMargin: revenue - cost, marginRate: revenue == 0 ? nil : (revenue - cost) / revenue)
            }
        }
        let byChannel = try lines("s.channel")
        guard !byChannel.isEmpty else { return .unavailable("no sales in the window \(windowText)") }
        let byPath = try lines(Self.salesPathSQL)
        let revenue = byChannel.reduce(0) { $0 + $1.netRevenue }, cost = byChannel.reduce(0) { $0 + $1.cost }
        let total = MarginLine(key: "total", units: byChannel.reduce(0) { $0 + $1.units }, netRevenue: revenue, cost: cost,
                               grossMargin: revenue - cost, marginRate: revenue == 0 ? nil : (revenue - cost) / revenue)
        return .value(GrossMarginKPI(byChannel: byChannel, byPath: byPath, total: total))
    }

    // MARK: Anomalies

    func openAnomalies() throws -> Measured<AnomalyKPI> {
        let runs = try reader.scalar("""
            SELECT (SELECT COUNT(*) FROM runs WHERE status = 'succeeded' AND kind LIKE '%anomal%') + (SELECT COUNT(*) FROM anomalies)
            """).int ?? 0
        guard runs > 0 else { return .unavailable("no anomaly detection run yet") }
        let filter = "status = 'open' AND (day IS NULL OR day <= ?)"
        let asOfArg: [CellValue] = [.integer(Int64(asOf.rawValue))]
        func groups(_ key: String) throws -> [AnomalyGroup] {
            try reader.query("SELECT \(key) AS k, COUNT(*), SUM(amount_at_risk) FROM anomalies WHERE \(filter) GROUP BY k ORDER BY k", asOfArg)
                .map { AnomalyGroup(key: $0[0].description, count: Int($0[1].int ?? 0), amountAtRisk: $0[2].double ?? 0) }
        }
        let total = try reader.query("SELECT COUNT(*), IFNULL(SUM(amount_at_risk), 0) FROM anomalies WHERE \(filter)", asOfArg)[0]
        return .value(AnomalyKPI(count: Int(total[0].int ?? 0), amountAtRisk: total[1].double ?? 0,
                                 byKind: try groups("kind"), bySeverity: try groups("severity"),
                                 byKindAndSeverity: try groups("kind || '/' || severity")))
    }
}
