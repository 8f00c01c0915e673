import GRDB
import KeelCore

/// Everything order sourcing reads from the store, as plain values: the network (locations,
/// items, zones, shipping rates, transfer lanes), stock positions, capacity already used on the
/// as-of day, and the open order lines. `KeelSourcing` builds its indexed network from this.
public struct SourcingSnapshot: Sendable {
    public struct Location: Sendable {
        public var key: Int64
        public var id: String
        public var type: LocationType
        public var latitude: Double
        public var longitude: Double
        /// `nil` = no limit.
        public var shipCapacityPerDay: Double?
        public var pickCostPerUnit: Double
        public var canShipToCustomer: Bool
        public var canPickup: Bool
    }
    public struct Item: Sendable {
        public var key: Int64
        public var sku: String
        public var category: String
        public var unitCost: Double
        public var unitPrice: Double
        /// `nil` in the file = 0 kg.
        public var weightKg: Double
    }
    public struct Zone: Sendable {
        public var key: Int64
        public var id: String
        public var latitude: Double
        public var longitude: Double
    }
    public struct Rate: Sendable {
        public var locationKey: Int64
        public var zoneKey: Int64
        public var service: ShippingService
        public var costPerShipment: Double
        public var costPerKg: Double
        public var transitDays: Int
    }
    public struct Lane: Sendable {
        public var fromKey: Int64
        public var toKey: Int64
        public var costPerUnit: Double
        public var costPerShipment: Double
        public var transitDays: Int
    }
    public struct Stock: Sendable {
        public var locationKey: Int64
        public var itemKey: Int64
        /// `on_hand − reserved − damaged`, floored at 0.
        public var availableToSell: Double
        public init(locationKey: Int64, itemKey: Int64, availableToSell: Double) {
            self.locationKey = locationKey; self.itemKey = itemKey; self.availableToSell = availableToSell
        }
    }
    public struct OrderLine: Sendable {
        public var orderId: String
        public var line: Int
        public var channel: String
        public var itemKey: Int64
        public var qty: Double
        public var zoneKey: Int64
        public var service: OrderService
        public var promiseDay: Day?
        public var pickupLocationKey: Int64?
    }

    public var asOf: Day
    public var locations: [Location] = []
    public var items: [Item] = []
    public var zones: [Zone] = []
    public var rates: [Rate] = []
    public var lanes: [Lane] = []
    public var stock: [Stock] = []
    /// Units already committed per location on the as-of day: released order lines created that
    /// day plus active reservations.
    public var usedCapacity: [Int64: Double] = [:]
    /// Open order lines (status `open`, not reserved), ordered by order id then line.
    public var openLines: [OrderLine] = []

    public init(asOf: Day) { self.asOf = asOf }
}

extension KeelDatabase {
    /// The run's as-of date per the contract: the latest transaction date (sales, returns, orders).
    public static func latestTransactionDay(_ db: Database) throws -> Day? {
        let v = try Int.fetchOne(
            db,
            sql: """
                SELECT MAX(d) FROM (SELECT MAX(day) AS d FROM sales UNION ALL SELECT MAX(day) FROM returns
                                    UNION ALL SELECT MAX(created_day) FROM orders)
                """)
        return v.map { Day(rawValue: Int32($0)) }
    }

    /// Reads the sourcing snapshot in one read transaction (a consistent view).
    public func loadSourcingSnapshot(asOf: Day?) throws -> SourcingSnapshot {
        try pool.read { db in try Self.sourcingSnapshot(db, asOf: asOf, includeOrders: true) }
    }

    /// The snapshot inside an existing transaction (reservations use it under their write lock).
    public static func sourcingSnapshot(_ db: Database, asOf: Day?, includeOrders: Bool) throws -> SourcingSnapshot {
        guard let day = try asOf ?? latestTransactionDay(db) else {
            throw StoreError.invalid("no transactions in the database and no --as-of date: cannot date the sourcing run")
        }
        var s = SourcingSnapshot(asOf: day)
        for r in try Row.fetchAll(
            db,
            sql: """
                SELECT location_key, location_id, type, latitude, longitude, ship_capacity_units_per_day, pick_cost_per_unit,
                       can_ship_to_customer, can_pickup FROM locations ORDER BY location_key
                """)
        {
            guard let type = LocationType(rawValue: r[2]) else { throw StoreError.invalid("location \(r[1] as String): unknown type") }
            let key: Int64 = r[0], id: String = r[1], lat: Double = r[3], lon: Double = r[4], cap: Double? = r[5], pick: Double = r[6]
            let ship: Bool = r[7], pickup: Bool = r[8]
            s.locations.append(
                SourcingSnapshot.Location(
                    key: key, id: id, type: type, latitude: lat, longitude: lon, shipCapacityPerDay: cap,
                    pickCostPerUnit: pick, canShipToCustomer: ship, canPickup: pickup))
        }
        for r in try Row.fetchAll(db, sql: "SELECT item_key, sku, category, unit_cost, unit_price, IFNULL(weight_kg, 0) FROM items ORDER BY item_key")
        {
            s.items.append(.init(key: r[0], sku: r[1], category: r[2], unitCost: r[3], unitPrice: r[4], weightKg: r[5]))
        }
        for r in try Row.fetchAll(db, sql: "SELECT zone_key, zone, latitude, longitude FROM zones ORDER BY zone_key") {
            s.zones.append(.init(key: r[0], id: r[1], latitude: r[2], longitude: r[3]))
        }
        for r in try Row.fetchAll(
            db,
            sql: """
                SELECT from_location_key, zone_key, service, cost_per_shipment, cost_per_kg, transit_days FROM shipping_rates
                """)
        {
            guard let service = ShippingService(rawValue: r[2]) else { continue }
            s.rates.append(.init(locationKey: r[0], zoneKey: r[1], service: service, costPerShipment: r[3], costPerKg: r[4], transitDays: r[5]))
        }
        for r in try Row.fetchAll(
            db, sql: "SELECT from_location_key, to_location_key, cost_per_unit, cost_per_shipment, transit_days FROM transfer_lanes")
        {
            s.lanes.append(.init(fromKey: r[0], toKey: r[1], costPerUnit: r[2], costPerShipment: r[3], transitDays: r[4]))
        }
        for r in try Row.fetchAll(
            db,
            sql: """
                SELECT location_key, item_key, MAX(on_hand - reserved - damaged, 0) FROM inventory_positions
                WHERE on_hand - reserved - damaged > 0
                """)
        {
            s.stock.append(.init(locationKey: r[0], itemKey: r[1], availableToSell: r[2]))
        }
        s.usedCapacity = try ReservationLedger(db: db).usedCapacity(day: day)
        guard includeOrders else { return s }
        for r in try Row.fetchAll(
            db,
            sql: """
                SELECT o.order_id, o.line, o.channel, o.item_key, o.qty, o.zone_key, o.service, o.promise_day, o.pickup_location_key
                FROM orders o
                WHERE o.status = 'open'
                  AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.order_id = o.order_id AND r.line = o.line)
                ORDER BY o.order_id, o.line
                """)
        {
            let text: String = r[6]
            guard let service = OrderService(rawValue: text) else {
                throw StoreError.invalid("order \(r[0] as String) line \(r[1] as Int): unknown service '\(text)'")
            }
            let orderId: String = r[0], line: Int = r[1], channel: String = r[2], itemKey: Int64 = r[3], qty: Double = r[4]
            let zoneKey: Int64 = r[5], promise: Int? = r[7], pickup: Int64? = r[8]
            s.openLines.append(
                SourcingSnapshot.OrderLine(
                    orderId: orderId, line: line, channel: channel, itemKey: itemKey, qty: qty,
                    zoneKey: zoneKey, service: service, promiseDay: promise.map { Day(rawValue: Int32($0)) },
                    pickupLocationKey: pickup))
        }
        return s
    }
}

extension KeelDatabase {
    /// Forecast walk-in (channel `store`) demand per (store, item) summed over the first `days`
    /// forecast days of the latest successful forecast run; empty when there is no forecast run.
    public func protectedWalkInNeed(days: Int) throws -> [(locationKey: Int64, itemKey: Int64, units: Double)] {
        try pool.read { db in
            guard let run = try Int64.fetchOne(db, sql: "SELECT MAX(run_id) FROM runs WHERE kind = 'forecast' AND status = 'succeeded'"),
                let first = try Int.fetchOne(db, sql: "SELECT MIN(day) FROM forecasts WHERE run_id = ?", arguments: [run])
            else { return [] }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT location_key, item_key, SUM(yhat) FROM forecasts
                    WHERE run_id = ? AND channel = 'store' AND location_key IS NOT NULL AND item_key IS NOT NULL AND day BETWEEN ? AND ?
                    GROUP BY location_key, item_key
                    """, arguments: [run, first, first + days - 1]
            ).map { ($0[0], $0[1], $0[2]) }
        }
    }
}
