import GRDB
import KeelCore

/// One replenishment line for the database (contract export `replenishment`).
public struct ReplenishmentRow: Sendable, Equatable {
    public var locationKey: Int64
    public var itemKey: Int64
    /// The supplier for a supplier order; nil for a store line drawn from its DC (named in `reason`).
    public var supplierKey: Int64?
    public var orderQty: Double
    public var orderDay: Day
    public var expectedArrival: Day?
    public var reorderPoint: Double
    public var orderUpTo: Double
    public var safetyStock: Double
    public var serviceLevelTarget: Double
    public var projectedFillRate: Double
    public var reason: String
    public init(locationKey: Int64, itemKey: Int64, supplierKey: Int64?, orderQty: Double, orderDay: Day, expectedArrival: Day?,
                reorderPoint: Double, orderUpTo: Double, safetyStock: Double, serviceLevelTarget: Double, projectedFillRate: Double, reason: String) {
        self.locationKey = locationKey; self.itemKey = itemKey; self.supplierKey = supplierKey; self.orderQty = orderQty
        self.orderDay = orderDay; self.expectedArrival = expectedArrival; self.reorderPoint = reorderPoint; self.orderUpTo = orderUpTo
        self.safetyStock = safetyStock; self.serviceLevelTarget = serviceLevelTarget; self.projectedFillRate = projectedFillRate; self.reason = reason
    }
}

/// One transfer line for the database (contract export `transfers`).
public struct TransferRow: Sendable, Equatable {
    public var fromLocationKey: Int64
    public var toLocationKey: Int64
    public var itemKey: Int64
    public var qty: Double
    public var shipDay: Day
    public var expectedArrival: Day
    public var reason: String
    public var expectedBenefit: Double
    public init(fromLocationKey: Int64, toLocationKey: Int64, itemKey: Int64, qty: Double, shipDay: Day, expectedArrival: Day, reason: String, expectedBenefit: Double) {
        self.fromLocationKey = fromLocationKey; self.toLocationKey = toLocationKey; self.itemKey = itemKey; self.qty = qty
        self.shipDay = shipDay; self.expectedArrival = expectedArrival; self.reason = reason; self.expectedBenefit = expectedBenefit
    }
}

extension KeelDatabase {
    /// Writes a replenishment run and a transfers run in one transaction (both or neither).
    /// Returns the two run ids.
    public func writePlanRuns(startedAt: String, asOf: Day, parameters: String, timings: String, notes: String?,
                              replenishment: [ReplenishmentRow], transfers: [TransferRow]) throws -> (replenishment: Int64, transfers: Int64) {
        try pool.write { db in
            let rep = try RunLog.record(db, kind: "replenishment", status: "succeeded", startedAt: startedAt, asOf: asOf,
                                        parameters: parameters, timings: timings, rowsWritten: replenishment.count, error: nil)
            let tr = try RunLog.record(db, kind: "transfers", status: "succeeded", startedAt: startedAt, asOf: asOf,
                                       parameters: parameters, timings: timings, rowsWritten: transfers.count, error: nil)
            try db.execute(sql: "UPDATE runs SET notes = ? WHERE run_id IN (?, ?)", arguments: [notes, rep, tr])
            let insert = try RawStatement(db, """
                INSERT INTO replenishment_plans(run_id, location_key, item_key, supplier_key, order_qty, order_day, expected_arrival_day,
                  reorder_point, order_up_to, safety_stock, service_level_target, projected_fill_rate, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for r in replenishment {
                insert.reset()
                insert.bind(1, rep); insert.bind(2, r.locationKey); insert.bind(3, r.itemKey)
                if let s = r.supplierKey { insert.bind(4, s) } else { insert.bindNull(4) }
                insert.bind(5, r.orderQty); insert.bind(6, Int64(r.orderDay.rawValue))
                if let a = r.expectedArrival { insert.bind(7, Int64(a.rawValue)) } else { insert.bindNull(7) }
                insert.bind(8, r.reorderPoint); insert.bind(9, r.orderUpTo); insert.bind(10, r.safetyStock)
                insert.bind(11, r.serviceLevelTarget); insert.bind(12, r.projectedFillRate); insert.bind(13, r.reason)
                try insert.step()
            }
            let move = try RawStatement(db, """
                INSERT INTO transfer_plans(run_id, from_location_key, to_location_key, item_key, qty, ship_day, expected_arrival_day, reason, expected_benefit)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for t in transfers {
                move.reset()
                move.bind(1, tr); move.bind(2, t.fromLocationKey); move.bind(3, t.toLocationKey); move.bind(4, t.itemKey)
                move.bind(5, t.qty); move.bind(6, Int64(t.shipDay.rawValue)); move.bind(7, Int64(t.expectedArrival.rawValue))
                move.bind(8, t.reason); move.bind(9, t.expectedBenefit)
                try move.step()
            }
            return (rep, tr)
        }
    }
}

extension KeelDatabase {
    /// Records a succeeded run that writes no plan rows (e.g. a simulation), its results in `notes`.
    public func recordRun(kind: String, startedAt: String, asOf: Day?, parameters: String, timings: String, notes: String) throws -> Int64 {
        try pool.write { db in
            let id = try RunLog.record(db, kind: kind, status: "succeeded", startedAt: startedAt, asOf: asOf, parameters: parameters,
                                       timings: timings, rowsWritten: 0, error: nil)
            try db.execute(sql: "UPDATE runs SET notes = ? WHERE run_id = ?", arguments: [notes, id])
            return id
        }
    }
}
