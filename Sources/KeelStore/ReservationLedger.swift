import GRDB
import GRDBSQLite
import KeelCore

/// The store side of order-router reservations, used only inside
/// `KeelDatabase.withReservationTransaction` (one `BEGIN IMMEDIATE` transaction: every read sees
/// the state no other writer can change before commit, so a check-then-reserve cannot oversell).
///
/// Reserving moves units from available-to-sell to `inventory_positions.reserved`; the update is
/// guarded by `on_hand − reserved − damaged ≥ qty`, so available-to-sell never goes below zero
/// even if a caller's plan was computed from stale numbers (the reservation then fails).
public struct ReservationLedger {
    let db: Database

    public struct Reservation: Sendable, Codable, Equatable {
        public var orderId: String
        public var line: Int
        public var locationKey: Int64
        public var itemKey: Int64
        public var qty: Double
        public var shipmentId: String
        public var service: String
        /// The day the line ships (sourcing ships on its as-of date): the day whose capacity it
        /// uses. nil for lines reserved before migration `v6-reservation-ship-day` (they count
        /// against every day's capacity until released).
        public var shipDay: Day?
        public init(
            orderId: String, line: Int, locationKey: Int64, itemKey: Int64, qty: Double, shipmentId: String, service: String, shipDay: Day? = nil
        ) {
            self.orderId = orderId; self.line = line; self.locationKey = locationKey; self.itemKey = itemKey; self.qty = qty
            self.shipmentId = shipmentId; self.service = service; self.shipDay = shipDay
        }
    }

    /// The first answer given to an idempotency key, if any: (operation, order id, response JSON).
    public func storedResponse(key: String) throws -> (operation: String, orderId: String, response: String)? {
        guard
            let r = try Row.fetchOne(
                db, sql: "SELECT operation, order_id, response FROM idempotency_keys WHERE idempotency_key = ?",
                arguments: [key])
        else { return nil }
        return (r[0], r[1], r[2])
    }

    public func storeResponse(key: String, operation: String, orderId: String, response: String) throws {
        try db.execute(
            sql: "INSERT INTO idempotency_keys(idempotency_key, operation, order_id, response, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [key, operation, orderId, response, RunLog.now()])
    }

    /// Available-to-sell of one item (`?` its key) by location, where positive.
    static let availableSQL = """
        SELECT location_key, on_hand - reserved - damaged FROM inventory_positions
        WHERE item_key = ? AND on_hand - reserved - damaged > 0
        """

    /// Units committed per location on day `?1` (see `usedCapacity(day:)`).
    static let usedCapacitySQL = """
        SELECT location_key, SUM(qty) FROM (
          SELECT location_key, qty FROM orders WHERE status = 'released' AND location_key IS NOT NULL AND created_day = ?1
          UNION ALL SELECT location_key, qty FROM reservations WHERE ship_day = ?1 OR ship_day IS NULL)
        GROUP BY location_key
        """

    /// Current available-to-sell of the given items per (location, item).
    public func availability(itemKeys: [Int64]) throws -> [SourcingSnapshot.Stock] {
        guard !itemKeys.isEmpty else { return [] }
        // One cached statement per call site, run once per distinct item: the router asks this on
        // every request, and compiling an `IN (…)` list each time cost more than the search.
        let statement = try db.cachedStatement(sql: Self.availableSQL)
        let h = statement.sqliteStatement
        defer { sqlite3_clear_bindings(h) }
        return try Self.availability(itemKeys: itemKeys, statement: h, connection: db.sqliteConnection)
    }

    /// Steps `statement` (prepared from `availableSQL`) once per distinct item through the C API
    /// (no `Row` per node) and leaves it reset. Shared by `availability(itemKeys:)` (GRDB's
    /// connection) and `StockReader` (its own).
    static func availability(itemKeys: [Int64], statement h: OpaquePointer, connection: OpaquePointer?) throws -> [SourcingSnapshot.Stock] {
        defer { sqlite3_reset(h) }
        var out: [SourcingSnapshot.Stock] = []
        out.reserveCapacity(itemKeys.count * 32)
        for item in Set(itemKeys).sorted() {
            sqlite3_reset(h)
            sqlite3_bind_int64(h, 1, item)
            while true {
                let rc = sqlite3_step(h)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else {
                    throw StoreError.sqlite(code: rc, message: String(cString: sqlite3_errmsg(connection)), sql: availableSQL)
                }
                out.append(.init(locationKey: sqlite3_column_int64(h, 0), itemKey: item, availableToSell: sqlite3_column_double(h, 1)))
            }
        }
        return out
    }

    /// Units committed per location on `day`: released lines created that day and reserved lines
    /// shipping that day (a reservation made for an earlier as-of date no longer uses today's
    /// capacity; one without a ship day — from before it was recorded — always does).
    public func usedCapacity(day: Day) throws -> [Int64: Double] {
        var out: [Int64: Double] = [:]
        let statement = try db.cachedStatement(sql: Self.usedCapacitySQL)
        let rows = try Row.fetchCursor(statement, arguments: [Int(day.rawValue)])
        while let r = try rows.next() { out[r[0]] = r[1] }
        return out
    }

    /// The order's request (JSON) and status, if the router has reserved it before.
    public func routerOrder(_ orderId: String) throws -> (request: String, status: String)? {
        try Row.fetchOne(db, sql: "SELECT request, status FROM router_orders WHERE order_id = ?", arguments: [orderId]).map { ($0[0], $0[1]) }
    }

    public func saveRouterOrder(_ orderId: String, request: String, status: String) throws {
        try db.execute(
            sql: """
                INSERT INTO router_orders(order_id, request, status, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(order_id) DO UPDATE SET request = excluded.request, status = excluded.status, updated_at = excluded.updated_at
                """, arguments: [orderId, request, status, RunLog.now()])
    }

    public func reservations(orderId: String) throws -> [Reservation] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT order_id, line, location_key, item_key, qty, shipment_id, service, ship_day FROM reservations
                WHERE order_id = ? ORDER BY line, location_key
                """, arguments: [orderId]
        ).map {
            Reservation(
                orderId: $0[0], line: $0[1], locationKey: $0[2], itemKey: $0[3], qty: $0[4], shipmentId: $0[5], service: $0[6],
                shipDay: ($0[7] as Int?).map { Day(rawValue: Int32($0)) })
        }
    }

    /// Reserves `r.qty` units; throws `.invalid` (nothing changed by this call) when the node no
    /// longer has that many available, or when the line is already reserved at that node.
    public func reserve(_ r: Reservation) throws {
        try db.execute(
            sql: """
                UPDATE inventory_positions SET reserved = reserved + ?
                WHERE location_key = ? AND item_key = ? AND on_hand - reserved - damaged >= ? - 1e-9
                """, arguments: [r.qty, r.locationKey, r.itemKey, r.qty])
        guard db.changesCount == 1 else {
            throw StoreError.invalid("order \(r.orderId) line \(r.line): location key \(r.locationKey) no longer has \(r.qty) available")
        }
        do {
            try db.execute(
                sql: """
                    INSERT INTO reservations(order_id, line, location_key, item_key, qty, shipment_id, service, created_at, ship_day)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [r.orderId, r.line, r.locationKey, r.itemKey, r.qty, r.shipmentId, r.service, RunLog.now(), r.shipDay.map { Int($0.rawValue) }])
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError.invalid("order \(r.orderId) line \(r.line) is already reserved at location key \(r.locationKey)")
        }
    }

    /// Releases the order's reservations (at one location, or all); returns what was released.
    @discardableResult
    public func release(orderId: String, locationKey: Int64? = nil) throws -> [Reservation] {
        let rows = try reservations(orderId: orderId).filter { locationKey == nil || $0.locationKey == locationKey }
        for r in rows {
            try db.execute(
                sql: "UPDATE inventory_positions SET reserved = MAX(reserved - ?, 0) WHERE location_key = ? AND item_key = ?",
                arguments: [r.qty, r.locationKey, r.itemKey])
            try db.execute(
                sql: "DELETE FROM reservations WHERE order_id = ? AND line = ? AND location_key = ?",
                arguments: [r.orderId, r.line, r.locationKey])
        }
        return rows
    }

    /// Marks the order's open lines in the orders table (if it is there) as cancelled.
    public func cancelOrderLines(orderId: String) throws {
        try db.execute(sql: "UPDATE orders SET status = 'cancelled' WHERE order_id = ? AND status = 'open'", arguments: [orderId])
    }

    public func recordRejection(orderId: String, locationKey: Int64, reason: String) throws {
        try db.execute(
            sql: """
                INSERT INTO order_rejections(order_id, location_key, reason, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(order_id, location_key) DO UPDATE SET reason = excluded.reason
                """, arguments: [orderId, locationKey, reason, RunLog.now()])
    }

    public func rejectedLocations(orderId: String) throws -> Set<Int64> {
        Set(try Int64.fetchAll(db, sql: "SELECT location_key FROM order_rejections WHERE order_id = ?", arguments: [orderId]))
    }
}

extension KeelDatabase {
    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back
    /// (nothing written) when it throws.
    public func withReservationTransaction<T>(_ body: (ReservationLedger) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                let ledger = ReservationLedger(db: db)
                result = try body(ledger)
                return .commit
            }
            return result!
        }
    }
}

extension KeelDatabase {
    /// Available-to-sell of the given items and capacity used on `day`, with the latest import
    /// run (the network version), read in one read transaction (a consistent view for the
    /// options endpoint; reservations re-read under lock).
    public func currentAvailability(itemKeys: [Int64], day: Day) throws
        -> (stock: [SourcingSnapshot.Stock], usedCapacity: [Int64: Double], importRun: Int64?)
    {
        try stockReader.read(itemKeys: itemKeys, day: day)
    }
}
