import GRDB
import KeelCore
import KeelStore

/// What the finance report needs, read from the database: anomaly totals by kind, location,
/// channel and cashier, the top cases by money at risk, gross margin by channel × fulfilment
/// path, and return rates by channel.
public struct AnomalySummary: Sendable, Codable, Equatable {
    public struct Total: Sendable, Codable, Equatable {
        public var key: String
        public var count: Int
        public var open: Int
        public var amountAtRisk: Double
    }
    public struct Case: Sendable, Codable, Equatable {
        public var anomalyId: Int64
        public var kind: String
        public var severity: String
        public var amountAtRisk: Double
        public var locationId: String?
        public var sku: String?
        public var transactionId: String?
        public var returnId: String?
        public var settlementId: String?
        public var date: String?
        public var status: String
        public var explanation: String
    }
    public struct Margin: Sendable, Codable, Equatable {
        public var channel: String
        /// `store` (sold in store), `dc`, `ship_from_store`, `dropship`, `3pl` — the type of the
        /// fulfilling location for online channels.
        public var path: String
        public var revenue: Double
        public var cost: Double
        public var margin: Double { revenue > 0 ? (revenue - cost) / revenue : 0 }
    }
    public struct ReturnRate: Sendable, Codable, Equatable {
        public var channel: String
        public var unitsSold: Double
        public var unitsReturned: Double
        public var refunds: Double
        public var rate: Double { unitsSold > 0 ? unitsReturned / unitsSold : 0 }
    }

    public var byKind: [Total]
    public var byLocation: [Total]
    public var byChannel: [Total]
    public var byCashier: [Total]
    public var topCases: [Case]
    public var marginByChannelAndPath: [Margin]
    public var returnRatesByChannel: [ReturnRate]

    /// Reads the summary; `top` limits the cases.
    public static func load(_ database: KeelDatabase, top: Int = 20) throws -> AnomalySummary {
        try database.pool.read { db in
            func totals(_ expr: String, _ from: String = "anomalies a") throws -> [Total] {
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(expr) AS k, COUNT(*), SUM(a.status = 'open'), SUM(a.amount_at_risk) FROM \(from)
                        WHERE \(expr) IS NOT NULL GROUP BY k ORDER BY SUM(a.amount_at_risk) DESC
                        """
                ).map { Total(key: $0[0], count: $0[1], open: $0[2], amountAtRisk: $0[3]) }
            }
            let cases = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.anomaly_id, a.kind, a.severity, a.amount_at_risk, l.location_id, i.sku, a.transaction_id, a.return_id,
                           a.settlement_id, date(a.day * 86400, 'unixepoch'), a.status, a.explanation
                    FROM anomalies a LEFT JOIN locations l ON l.location_key = a.location_key LEFT JOIN items i ON i.item_key = a.item_key
                    ORDER BY a.amount_at_risk DESC, a.anomaly_id LIMIT ?
                    """, arguments: [top]
            ).map {
                Case(
                    anomalyId: $0[0], kind: $0[1], severity: $0[2], amountAtRisk: $0[3], locationId: $0[4], sku: $0[5], transactionId: $0[6],
                    returnId: $0[7], settlementId: $0[8], date: $0[9], status: $0[10], explanation: $0[11])
            }
            let margins = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.channel, CASE WHEN s.channel = 'store' THEN 'store' WHEN l.type = 'store' THEN 'ship_from_store' ELSE l.type END AS path,
                           SUM(s.qty * s.unit_price - s.discount), SUM(s.qty * i.unit_cost)
                    FROM sales s JOIN locations l ON l.location_key = s.location_key JOIN items i ON i.item_key = s.item_key
                    GROUP BY 1, 2 ORDER BY 1, 2
                    """
            ).map { Margin(channel: $0[0], path: $0[1], revenue: $0[2], cost: $0[3]) }
            let sold = try Row.fetchAll(db, sql: "SELECT channel, SUM(qty) FROM sales GROUP BY channel")
            var rates: [String: ReturnRate] = [:]
            for r in sold { rates[r[0]] = ReturnRate(channel: r[0], unitsSold: r[1], unitsReturned: 0, refunds: 0) }
            // Returns by the channel of the original sale when there is one, else the return's channel.
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT IFNULL((SELECT s.channel FROM sales s WHERE s.transaction_id = r.original_transaction_id LIMIT 1), r.channel),
                           SUM(r.qty), SUM(r.refund_amount) FROM returns r GROUP BY 1
                    """)
            {
                let ch: String = r[0]
                var v = rates[ch] ?? ReturnRate(channel: ch, unitsSold: 0, unitsReturned: 0, refunds: 0)
                v.unitsReturned = r[1]; v.refunds = r[2]
                rates[ch] = v
            }
            return AnomalySummary(
                byKind: try totals("a.kind"),
                byLocation: try totals("l.location_id", "anomalies a LEFT JOIN locations l ON l.location_key = a.location_key"),
                byChannel: try totals("a.channel"), byCashier: try totals("a.cashier_id"), topCases: cases,
                marginByChannelAndPath: margins, returnRatesByChannel: rates.values.sorted { $0.channel < $1.channel })
        }
    }
}
