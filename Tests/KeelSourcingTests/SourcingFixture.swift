import GRDB
import KeelCore
import KeelSourcing
import KeelStore
import KeelTestSupport

/// A hand-made network whose optimal plans are worked out by hand in the tests.
///
/// Items (kg): A 1, B 2, C 1 (no stock anywhere), H 0.5 (hot: 5 units at DC1 only).
/// Nodes: DC1 pick 1.0, DC2 pick 0.5, S1 store shipping to customers, pick 2.0, capacity 3/day.
/// Zone Z1 standard rates: DC1 5 + 1/kg (2 days), DC2 8 + 0.5/kg (4 days), S1 6 + 1/kg (1 day).
/// Zone Z2 exists but nobody ships there. Lanes into S1: DC1 20/shipment + 0.3/unit (1 day),
/// DC2 3/shipment + 1/unit (2 days). Stock (as of 2026-03-01): DC1 A 10, B 10, H 5; DC2 A 10,
/// B 10; S1 A 2.
enum SourcingFixture {
    static let asOf = Day("2026-03-01")!

    static let files: [String: String] = [
        "items.csv": """
        sku,name,category,department,unit_cost,unit_price,weight_kg
        A,Alpha,Apparel,Tops,4,10,1
        B,Beta,Home,Kitchen,3,9,2
        C,Gamma,Beauty,Skin,5,15,1
        H,Hot,Toys,Games,2,8,0.5
        """,
        "locations.csv": """
        location_id,name,type,region,latitude,longitude,ship_capacity_units_per_day,pick_cost_per_unit,can_ship_to_customer,can_pickup
        DC1,DC one,dc,Central,41.0,-87.0,1000,1.0,,
        DC2,DC two,dc,South,35.0,-90.0,1000,0.5,,
        S1,Store one,store,North,42.0,-87.5,3,2.0,true,true
        """,
        "zones.csv": """
        zone,latitude,longitude
        Z1,41.9,-87.6
        Z2,30.0,-95.0
        """,
        "shipping_rates.csv": """
        from_location_id,to_zone,service,cost_per_shipment,cost_per_kg,transit_days
        DC1,Z1,standard,5,1,2
        DC2,Z1,standard,8,0.5,4
        S1,Z1,standard,6,1,1
        """,
        "transfer_lanes.csv": """
        from_location_id,to_location_id,cost_per_unit,cost_per_shipment,transit_days
        DC1,S1,0.3,20,1
        DC2,S1,1.0,3,2
        """,
        "inventory.csv": """
        location_id,sku,on_hand,in_transit,reserved,damaged,as_of
        DC1,A,10,0,0,0,2026-03-01
        DC1,B,10,0,0,0,2026-03-01
        DC1,H,5,0,0,0,2026-03-01
        DC2,A,10,0,0,0,2026-03-01
        DC2,B,10,0,0,0,2026-03-01
        S1,A,2,0,0,0,2026-03-01
        """,
    ]

    static let orders = """
        order_id,line,created_at,channel,sku,qty,ship_to_zone,service,promise_date,pickup_location_id,status,location_id
        O1,1,2026-03-01T08:00:00Z,web,A,1,Z1,standard,2026-03-10,,open,
        O1,2,2026-03-01T08:00:00Z,web,B,1,Z1,standard,2026-03-10,,open,
        O2,1,2026-03-01T09:00:00Z,web,C,1,Z1,standard,2026-03-10,,open,
        O3,1,2026-03-01T10:00:00Z,app,A,1,Z1,pickup,2026-03-02,S1,open,
        """

    /// A fresh database with the fixture imported (and the open orders when asked).
    static func database(withOrders: Bool = false, extra: [String: String] = [:]) throws -> (TemporaryDirectory, KeelDatabase) {
        let dir = TemporaryDirectory("keel-sourcing")
        for (name, text) in files.merging(extra, uniquingKeysWith: { _, b in b }) { dir.write(name, text + "\n") }
        if withOrders { dir.write("orders.csv", orders + "\n") }
        let db = try KeelDatabase(path: dir.file("keel.sqlite"))
        try db.importFiles([dir.path])
        return (dir, db)
    }

    static func order(
        _ id: String, _ lines: [(String, Double)], zone: String = "Z1", service: OrderService = .standard,
        promise: String? = "2026-03-10", pickup: String? = nil, channel: Channel? = nil
    ) -> SourcingOrder {
        SourcingOrder(
            orderId: id, lines: lines.enumerated().map { .init(line: $0 + 1, sku: $1.0, qty: $1.1) }, shipToZone: zone,
            service: service, promiseDate: promise.flatMap { Day($0) }, pickupLocationId: pickup, channel: channel)
    }

    /// Reserved units per (location, sku) from the database.
    static func reserved(_ db: KeelDatabase) throws -> [String: Double] {
        var out: [String: Double] = [:]
        try db.pool.read { d in
            for row in try Row.fetchAll(d, sql: "SELECT location_id, sku, reserved, available_to_sell FROM v_available_to_sell") {
                let loc: String = row[0], sku: String = row[1], r: Double = row[2], ats: Double = row[3]
                precondition(ats >= -1e-9, "available-to-sell below zero at \(loc)/\(sku)")
                if r != 0 { out["\(loc)/\(sku)"] = r }
            }
        }
        return out
    }
}
