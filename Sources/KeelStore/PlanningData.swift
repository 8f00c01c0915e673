import GRDB
import KeelCore

/// Everything replenishment and transfer planning read from the operational core, as plain values:
/// the network (items, suppliers, locations, lanes), current positions, inbound supply with its
/// expected arrival, supplier lead times observed on purchase-order receipts, and the DC that has
/// supplied each store.
public struct PlanningData: Sendable {
    public struct Item: Sendable {
        public init(key: Int64, sku: String, category: String, department: String, unitCost: Double, unitPrice: Double, casePack: Double, minOrderQty: Double, supplierKey: Int64?, shelfLifeDays: Int?) {
            self.key = key; self.sku = sku; self.category = category; self.department = department; self.unitCost = unitCost; self.unitPrice = unitPrice; self.casePack = casePack; self.minOrderQty = minOrderQty; self.supplierKey = supplierKey; self.shelfLifeDays = shelfLifeDays
        }
        public var key: Int64
        public var sku: String
        public var category: String
        public var department: String
        public var unitCost: Double
        public var unitPrice: Double
        public var casePack: Double
        public var minOrderQty: Double
        public var supplierKey: Int64?
        public var shelfLifeDays: Int?
    }
    public struct Supplier: Sendable {
        public init(key: Int64, id: String, leadTimeDays: Double, leadTimeSDDays: Double, orderCost: Double, minOrderValue: Double) {
            self.key = key; self.id = id; self.leadTimeDays = leadTimeDays; self.leadTimeSDDays = leadTimeSDDays; self.orderCost = orderCost; self.minOrderValue = minOrderValue
        }
        public var key: Int64
        public var id: String
        public var leadTimeDays: Double
        public var leadTimeSDDays: Double
        public var orderCost: Double
        public var minOrderValue: Double
    }
    public struct Location: Sendable {
        public init(key: Int64, id: String, type: LocationType, region: String?) {
            self.key = key; self.id = id; self.type = type; self.region = region
        }
        public var key: Int64
        public var id: String
        public var type: LocationType
        public var region: String?
    }
    public struct Lane: Sendable {
        public init(from: Int64, to: Int64, costPerUnit: Double, costPerShipment: Double, transitDays: Int) {
            self.from = from; self.to = to; self.costPerUnit = costPerUnit; self.costPerShipment = costPerShipment; self.transitDays = transitDays
        }
        public var from: Int64
        public var to: Int64
        public var costPerUnit: Double
        public var costPerShipment: Double
        public var transitDays: Int
    }
    /// Stock of one (location, item): on hand, reserved and damaged (not sellable), and inbound
    /// units (open purchase orders and transfers) with their expected arrival days.
    public struct Position: Sendable {
        public init(locationKey: Int64, itemKey: Int64, onHand: Double, reserved: Double, damaged: Double, inbound: [(qty: Double, arrival: Day)]) {
            self.locationKey = locationKey; self.itemKey = itemKey; self.onHand = onHand; self.reserved = reserved; self.damaged = damaged; self.inbound = inbound
        }
        public var locationKey: Int64
        public var itemKey: Int64
        public var onHand: Double
        public var reserved: Double
        public var damaged: Double
        public var inbound: [(qty: Double, arrival: Day)]
        public var available: Double { onHand - reserved - damaged }
        public var inboundQty: Double { inbound.reduce(0) { $0 + $1.qty } }
    }
    /// Lead times observed on received purchase orders of one supplier (days from order to receipt).
    public struct LeadTimeObservations: Sendable {
        public init(supplierKey: Int64, count: Int, mean: Double, sd: Double) {
            self.supplierKey = supplierKey; self.count = count; self.mean = mean; self.sd = sd
        }
        public var supplierKey: Int64
        public var count: Int
        public var mean: Double
        public var sd: Double
    }

    public var asOf: Day
    public var items: [Item]
    public var suppliers: [Supplier]
    public var locations: [Location]
    public var lanes: [Lane]
    public var positions: [Position]
    public var leadTimes: [LeadTimeObservations]
    /// store location key → the DC location key that shipped it the most units (historic transfers).
    public var supplyingDC: [Int64: Int64]

    public init(asOf: Day, items: [Item], suppliers: [Supplier], locations: [Location], lanes: [Lane], positions: [Position],
                leadTimes: [LeadTimeObservations], supplyingDC: [Int64: Int64]) {
        self.asOf = asOf; self.items = items; self.suppliers = suppliers; self.locations = locations; self.lanes = lanes
        self.positions = positions; self.leadTimes = leadTimes; self.supplyingDC = supplyingDC
    }
}

extension KeelDatabase {
    /// Reads the planning inputs as of `asOf` (default: the latest transaction day). Purchase orders
    /// received on or before `asOf` feed the lead-time observations; those not yet received by then
    /// are inbound supply.
    public func loadPlanningData(asOf requested: Day? = nil) throws -> PlanningData {
        try pool.read { db in
            guard let asOf = try requested ?? DemandHistory.endDay(db) else {
                throw StoreError.invalid("no transactions in the database: import sales before planning")
            }
            let items = try Row.fetchAll(db, sql: """
                SELECT item_key, sku, category, department, unit_cost, unit_price, case_pack, min_order_qty, supplier_key, shelf_life_days
                FROM items ORDER BY item_key
                """).map { r in
                PlanningData.Item(key: r[0], sku: r[1], category: r[2], department: r[3], unitCost: r[4], unitPrice: r[5],
                                  casePack: r[6], minOrderQty: r[7], supplierKey: r[8], shelfLifeDays: r[9])
            }
            let suppliers = try Row.fetchAll(db, sql: """
                SELECT supplier_key, supplier_id, lead_time_days, lead_time_sd_days, order_cost, min_order_value FROM suppliers ORDER BY supplier_key
                """).map { r in
                PlanningData.Supplier(key: r[0], id: r[1], leadTimeDays: r[2], leadTimeSDDays: r[3], orderCost: r[4], minOrderValue: r[5])
            }
            let locations = try Row.fetchAll(db, sql: "SELECT location_key, location_id, type, region FROM locations ORDER BY location_key").map { r in
                let type: String = r[2]
                guard let t = LocationType(rawValue: type) else { throw StoreError.invalid("location \(r[1] as String) has an unknown type '\(type)'") }
                return PlanningData.Location(key: r[0], id: r[1], type: t, region: r[3])
            }
            let lanes = try Row.fetchAll(db, sql: """
                SELECT from_location_key, to_location_key, cost_per_unit, cost_per_shipment, transit_days FROM transfer_lanes
                ORDER BY from_location_key, to_location_key
                """).map { r in
                PlanningData.Lane(from: r[0], to: r[1], costPerUnit: r[2], costPerShipment: r[3], transitDays: r[4])
            }
            let day = Int64(asOf.rawValue)
            var positions: [PlanningData.Position] = []
            var index: [PairKey: Int] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT location_key, item_key, on_hand, reserved, damaged FROM inventory_positions ORDER BY location_key, item_key
                """) {
                index[PairKey(r[0], r[1])] = positions.count
                positions.append(.init(locationKey: r[0], itemKey: r[1], onHand: r[2], reserved: r[3], damaged: r[4], inbound: []))
            }
            func addInbound(_ location: Int64, _ item: Int64, _ qty: Double, _ arrival: Int64) {
                guard qty > 0 else { return }
                let arrivalDay = Day(rawValue: Int32(max(arrival, day + 1)))
                if let i = index[PairKey(location, item)] {
                    positions[i].inbound.append((qty, arrivalDay))
                } else {
                    index[PairKey(location, item)] = positions.count
                    positions.append(.init(locationKey: location, itemKey: item, onHand: 0, reserved: 0, damaged: 0, inbound: [(qty, arrivalDay)]))
                }
            }
            // Open purchase orders as of the day: ordered by then, not received by then.
            for r in try Row.fetchAll(db, sql: """
                SELECT po.location_key, po.item_key,
                       po.qty - CASE WHEN po.received_day IS NOT NULL AND po.received_day <= ?1 THEN IFNULL(po.received_qty, po.qty) ELSE 0 END,
                       IFNULL(po.expected_day, po.ordered_day + CAST(ROUND(s.lead_time_days) AS INTEGER))
                FROM purchase_orders po JOIN suppliers s ON s.supplier_key = po.supplier_key
                WHERE po.ordered_day <= ?1 AND (po.received_day IS NULL OR po.received_day > ?1)
                """, arguments: [day]) {
                addInbound(r[0], r[1], r[2], r[3])
            }
            // Transfers shipped by then and not yet received.
            for r in try Row.fetchAll(db, sql: """
                SELECT t.to_location_key, t.item_key, t.qty, t.shipped_day + IFNULL(l.transit_days, 1)
                FROM transfers t LEFT JOIN transfer_lanes l ON l.from_location_key = t.from_location_key AND l.to_location_key = t.to_location_key
                WHERE t.shipped_day <= ?1 AND (t.received_day IS NULL OR t.received_day > ?1)
                """, arguments: [day]) {
                addInbound(r[0], r[1], r[2], r[3])
            }
            let leadTimes = try Row.fetchAll(db, sql: """
                SELECT supplier_key, COUNT(*), AVG(received_day - ordered_day),
                       AVG((received_day - ordered_day) * (received_day - ordered_day))
                FROM purchase_orders WHERE received_day IS NOT NULL AND received_day <= ? AND received_day >= ordered_day
                GROUP BY supplier_key ORDER BY supplier_key
                """, arguments: [day]).map { r -> PlanningData.LeadTimeObservations in
                let n: Int = r[1], mean: Double = r[2], meanSquare: Double = r[3]
                let variance = n > 1 ? max(0, (meanSquare - mean * mean) * Double(n) / Double(n - 1)) : 0
                return .init(supplierKey: r[0], count: n, mean: mean, sd: variance.squareRoot())
            }
            var supplyingDC: [Int64: Int64] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT t.to_location_key, t.from_location_key, SUM(t.qty) AS units
                FROM transfers t JOIN locations f ON f.location_key = t.from_location_key AND f.type = 'dc'
                JOIN locations d ON d.location_key = t.to_location_key AND d.type = 'store'
                WHERE t.shipped_day <= ?
                GROUP BY t.to_location_key, t.from_location_key ORDER BY t.to_location_key, units DESC, t.from_location_key
                """, arguments: [day]) where supplyingDC[r[0]] == nil {
                supplyingDC[r[0]] = r[1]
            }
            return PlanningData(asOf: asOf, items: items, suppliers: suppliers, locations: locations, lanes: lanes,
                                positions: positions, leadTimes: leadTimes, supplyingDC: supplyingDC)
        }
    }
}

/// A (location, item) pair as one hashable value.
public struct PairKey: Hashable, Sendable, Comparable {
    public var location: Int64
    public var item: Int64
    public init(_ location: Int64, _ item: Int64) { self.location = location; self.item = item }
    public static func < (a: PairKey, b: PairKey) -> Bool { (a.location, a.item) < (b.location, b.item) }
}
