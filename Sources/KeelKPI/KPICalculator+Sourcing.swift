import KeelCore
import KeelStore

extension KPICalculator {
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
}
