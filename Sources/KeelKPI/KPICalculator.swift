import KeelCore
import KeelStore

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
