import GRDB
import KeelCore

/// One row of a sourcing run (contract export `sourcing`): an order line's units from one node,
/// or the line unsourced (`locationKey == nil`) with the reason.
public struct SourcingPlanRow: Sendable, Equatable {
    public var orderId: String
    public var line: Int
    public var locationKey: Int64?
    public var qty: Double
    public var shipmentId: String?
    public var service: String?
    public var shipCost: Double?
    public var handlingCost: Double?
    public var agingCredit: Double?
    public var expectedDelivery: Day?
    public var promiseMet: Bool?
    public var reason: String

    public init(
        orderId: String, line: Int, locationKey: Int64?, qty: Double, shipmentId: String?, service: String?,
        shipCost: Double?, handlingCost: Double?, agingCredit: Double?, expectedDelivery: Day?, promiseMet: Bool?, reason: String
    ) {
        self.orderId = orderId; self.line = line; self.locationKey = locationKey; self.qty = qty; self.shipmentId = shipmentId
        self.service = service; self.shipCost = shipCost; self.handlingCost = handlingCost; self.agingCredit = agingCredit
        self.expectedDelivery = expectedDelivery; self.promiseMet = promiseMet; self.reason = reason
    }
}

extension KeelDatabase {
    /// Writes a whole sourcing run in one transaction: the `runs` row (kind `sourcing`) and every
    /// plan row, in the given order. Returns the run id.
    public func writeSourcingRun(
        startedAt: String, asOf: Day, parameters: String, timings: String, notes: String?,
        rows: [SourcingPlanRow]
    ) throws -> Int64 {
        try pool.write { db in
            let run = try RunLog.record(
                db, kind: "sourcing", status: "succeeded", startedAt: startedAt, asOf: asOf,
                parameters: parameters, timings: timings, rowsWritten: rows.count, error: nil)
            try db.execute(sql: "UPDATE runs SET notes = ? WHERE run_id = ?", arguments: [notes, run])
            let insert = try RawStatement(
                db,
                """
                INSERT INTO sourcing_plans(run_id, order_id, line, location_key, qty, shipment_id, service, ship_cost, handling_cost,
                                           aging_credit, expected_delivery_day, promise_met, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for r in rows {
                insert.reset()
                insert.bind(1, run)
                insert.bind(2, r.orderId)
                insert.bind(3, Int64(r.line))
                if let v = r.locationKey { insert.bind(4, v) } else { insert.bindNull(4) }
                insert.bind(5, r.qty)
                if let v = r.shipmentId { insert.bind(6, v) } else { insert.bindNull(6) }
                if let v = r.service { insert.bind(7, v) } else { insert.bindNull(7) }
                if let v = r.shipCost { insert.bind(8, v) } else { insert.bindNull(8) }
                if let v = r.handlingCost { insert.bind(9, v) } else { insert.bindNull(9) }
                if let v = r.agingCredit { insert.bind(10, v) } else { insert.bindNull(10) }
                if let v = r.expectedDelivery { insert.bind(11, Int64(v.rawValue)) } else { insert.bindNull(11) }
                if let v = r.promiseMet { insert.bind(12, Int64(v ? 1 : 0)) } else { insert.bindNull(12) }
                insert.bind(13, r.reason)
                try insert.step()
            }
            return run
        }
    }
}
