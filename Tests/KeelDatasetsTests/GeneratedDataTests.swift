import Foundation
import KeelCore
import KeelDatasets
import KeelTestSupport
import Testing

/// Generates one small retailer (big enough for every anomaly kind) and checks the files.
final class GeneratedData: @unchecked Sendable {
    static let shared = GeneratedData()
    let dir = TemporaryDirectory("keel-gen")
    let summary: GenerationSummary
    private var cache: [String: CSVTable] = [:]
    private let lock = NSLock()

    init() {
        let config = RetailerConfiguration(stores: 4, dcs: 1, skus: 60, days: 400, seed: 11)
        summary = try! RetailerGenerator.generate(config, to: dir.path)
    }

    func table(_ name: String) -> CSVTable {
        lock.lock(); defer { lock.unlock() }
        if let t = cache[name] { return t }
        let t = try! CSVTable(path: dir.file(name))
        cache[name] = t
        return t
    }
}

@Suite("Generated data")
struct GeneratedDataTests {
    let data = GeneratedData.shared
    static let headers: [String: [String]] = [
        "items.csv": ["sku", "name", "category", "department", "unit_cost", "unit_price", "case_pack", "min_order_qty", "supplier_id", "weight_kg", "shelf_life_days"],
        "locations.csv": ["location_id", "name", "type", "region", "latitude", "longitude", "ship_capacity_units_per_day", "pick_cost_per_unit", "can_ship_to_customer", "can_pickup"],
        "suppliers.csv": ["supplier_id", "name", "lead_time_days", "lead_time_sd_days", "order_cost", "min_order_value"],
        "zones.csv": ["zone", "latitude", "longitude"],
        "shipping_rates.csv": ["from_location_id", "to_zone", "service", "cost_per_shipment", "cost_per_kg", "transit_days"],
        "transfer_lanes.csv": ["from_location_id", "to_location_id", "cost_per_unit", "cost_per_shipment", "transit_days"],
        "sales.csv": ["transaction_id", "line", "timestamp", "channel", "location_id", "sku", "qty", "unit_price", "discount", "promo_id", "customer_id", "tender", "order_id", "cashier_id"],
        "returns.csv": ["return_id", "timestamp", "original_transaction_id", "sku", "qty", "refund_amount", "channel", "location_id", "reason_code", "disposition", "tender", "cashier_id", "customer_id"],
        "inventory.csv": ["location_id", "sku", "on_hand", "in_transit", "reserved", "damaged", "as_of"],
        "prices.csv": ["sku", "channel", "location_id", "price", "start_date", "end_date"],
        "promotions.csv": ["promo_id", "sku", "channel", "location_id", "start_date", "end_date", "promo_price", "discount_pct"],
        "purchase_orders.csv": ["po_id", "supplier_id", "location_id", "sku", "qty", "ordered_at", "expected_at", "received_at", "received_qty"],
        "transfers.csv": ["transfer_id", "from_location_id", "to_location_id", "sku", "qty", "shipped_at", "received_at"],
        "settlements.csv": ["settlement_id", "transaction_id", "processor", "amount", "fee", "settled_at"],
        "orders.csv": ["order_id", "line", "created_at", "channel", "sku", "qty", "ship_to_zone", "service", "promise_date", "pickup_location_id", "status", "location_id"],
        "anomalies_truth.csv": ["kind", "transaction_id", "return_id", "settlement_id", "location_id", "sku", "date", "channel", "category", "cashier_id", "customer_id"],
    ]

    @Test func headersMatchTheContract() {
        for (file, header) in Self.headers.sorted(by: { $0.key < $1.key }) {
            #expect(data.table(file).header == header, "\(file)")
        }
    }

    @Test func referencesResolve() {
        let skus = Set(data.table("items.csv").column("sku"))
        let locations = Set(data.table("locations.csv").column("location_id"))
        let suppliers = Set(data.table("suppliers.csv").column("supplier_id"))
        let zones = Set(data.table("zones.csv").column("zone"))
        let promos = Set(data.table("promotions.csv").column("promo_id"))
        #expect(Set(data.table("items.csv").column("supplier_id")).isSubset(of: suppliers))
        for f in ["sales.csv", "returns.csv", "inventory.csv", "prices.csv", "promotions.csv", "purchase_orders.csv", "transfers.csv", "orders.csv"] {
            #expect(Set(data.table(f).column("sku")).isSubset(of: skus), "\(f) sku")
        }
        for (f, c) in [("sales.csv", "location_id"), ("returns.csv", "location_id"), ("inventory.csv", "location_id"),
                       ("purchase_orders.csv", "location_id"), ("transfers.csv", "from_location_id"), ("transfers.csv", "to_location_id"),
                       ("transfer_lanes.csv", "from_location_id"), ("transfer_lanes.csv", "to_location_id"),
                       ("shipping_rates.csv", "from_location_id")] {
            #expect(Set(data.table(f).column(c)).isSubset(of: locations), "\(f) \(c)")
        }
        for (f, c) in [("prices.csv", "location_id"), ("promotions.csv", "location_id"), ("orders.csv", "pickup_location_id"), ("orders.csv", "location_id")] {
            #expect(Set(data.table(f).column(c)).subtracting([""]).isSubset(of: locations), "\(f) \(c)")
        }
        #expect(Set(data.table("shipping_rates.csv").column("to_zone")).isSubset(of: zones))
        #expect(Set(data.table("orders.csv").column("ship_to_zone")).isSubset(of: zones))
        #expect(Set(data.table("sales.csv").column("promo_id")).subtracting([""]).isSubset(of: promos))
        #expect(Set(data.table("purchase_orders.csv").column("supplier_id")).isSubset(of: suppliers))
    }

    @Test func keysAreUniqueAndQuantitiesNonNegative() {
        let keys: [(String, [String])] = [
            ("items.csv", ["sku"]), ("locations.csv", ["location_id"]), ("suppliers.csv", ["supplier_id"]), ("zones.csv", ["zone"]),
            ("shipping_rates.csv", ["from_location_id", "to_zone", "service"]), ("transfer_lanes.csv", ["from_location_id", "to_location_id"]),
            ("sales.csv", ["transaction_id", "line"]), ("returns.csv", ["return_id"]), ("inventory.csv", ["location_id", "sku", "as_of"]),
            ("prices.csv", ["sku", "channel", "location_id", "start_date"]), ("promotions.csv", ["promo_id", "sku", "channel", "location_id"]),
            ("purchase_orders.csv", ["po_id", "sku"]), ("transfers.csv", ["transfer_id", "sku"]), ("settlements.csv", ["settlement_id"]),
            ("orders.csv", ["order_id", "line"]),
        ]
        for (file, cols) in keys {
            let t = data.table(file)
            let idx = cols.map { t.index($0) }
            let all = t.rows.map { r in idx.map { r[$0] }.joined(separator: "|") }
            #expect(Set(all).count == all.count, "duplicate key in \(file)")
        }
        for (file, cols) in [("sales.csv", ["qty", "unit_price"]), ("returns.csv", ["qty", "refund_amount"]),
                             ("purchase_orders.csv", ["qty"]), ("transfers.csv", ["qty"]), ("orders.csv", ["qty"]),
                             ("inventory.csv", ["on_hand", "in_transit", "reserved", "damaged"]), ("prices.csv", ["price"])] {
            let t = data.table(file)
            for c in cols {
                #expect(t.column(c).allSatisfy { (Double($0) ?? -1) >= 0 }, "\(file) \(c)")
            }
        }
        let promos = data.table("promotions.csv")
        let pp = promos.index("promo_price"), dp = promos.index("discount_pct")
        #expect(promos.rows.allSatisfy { ($0[pp].isEmpty) != ($0[dp].isEmpty) })
        #expect(promos.rows.allSatisfy { $0[promos.index("end_date")] >= $0[promos.index("start_date")] })
    }

    @Test func everyAnomalyKindIsInjectedAndPointsAtRealRows() {
        let truth = data.table("anomalies_truth.csv")
        let kinds = Set(truth.column("kind"))
        // sales_drop only goes on pairs whose realized sales make a gap detectable within 90 days
        // (`SalesDropRule`): this 4-store, 60-sku retailer has none; DemoDropTests checks the demo's.
        for k in AnomalyKind.allCases where k != .salesDrop { #expect(kinds.contains(k.rawValue), "missing \(k.rawValue)") }
        let txns = Set(data.table("sales.csv").column("transaction_id"))
        let rets = Set(data.table("returns.csv").column("return_id"))
        let sets = Set(data.table("settlements.csv").column("settlement_id"))
        for r in truth.rows {
            let t = r[1], ret = r[2], st = r[3]
            if !t.isEmpty { #expect(txns.contains(t), "\(r[0]) \(t)") }
            if !ret.isEmpty { #expect(rets.contains(ret), "\(r[0]) \(ret)") }
            if !st.isEmpty { #expect(sets.contains(st), "\(r[0]) \(st)") }
        }
        #expect(data.summary.injectedAnomalies.values.reduce(0, +) == truth.rows.count)
    }

    @Test func demandLooksLikeRetail() {
        let sales = data.table("sales.csv")
        let ch = sales.index("channel"), loc = sales.index("location_id"), sku = sales.index("sku")
        let ts = sales.index("timestamp"), qty = sales.index("qty")
        let days = 400
        let start = Day(year: 2024, month: 1, day: 1)!
        var series: [String: Int] = [:]  // store|sku → selling days
        var weekday = [Double](repeating: 0, count: 8)
        var month = [Double](repeating: 0, count: 13)
        var seen = Set<String>()
        for r in sales.rows where r[ch] == "store" {
            let day = Day(r[ts].prefix(10))!
            let key = r[loc] + "|" + r[sku]
            if seen.insert(key + "|" + String(day.rawValue)).inserted { series[key, default: 0] += 1 }
            weekday[day.isoWeekday] += Double(r[qty])!
            if day - start < 366 { month[day.civil.month] += Double(r[qty])! }
        }
        // Intermittency: most store × SKU series sell on fewer than half the days.
        let intermittent = series.values.filter { Double($0) <= Double(days) * 0.5 }.count
        #expect(Double(intermittent) > Double(series.count) * 0.5)
        // Weekends busier than weekdays in stores.
        #expect((weekday[6] + weekday[7]) / 2 > (weekday[1...5].reduce(0, +)) / 5)
        // December above the average month (2024).
        #expect(month[12] > month[1...12].reduce(0, +) / 12)
        // Promotion days sell more per SKU-day than other days for the same SKUs (all-channel,
        // all-location promotions only).
        let promos = data.table("promotions.csv")
        var promoDay = Set<String>()
        var promoted = Set<String>()
        for r in promos.rows where r[promos.index("channel")].isEmpty && r[promos.index("location_id")].isEmpty {
            let a = Day(r[promos.index("start_date")])!, b = Day(r[promos.index("end_date")])!
            promoted.insert(r[promos.index("sku")])
            for d in a.rawValue...b.rawValue { promoDay.insert(r[promos.index("sku")] + "|" + String(d)) }
        }
        var inUnits = 0.0, outUnits = 0.0
        for r in sales.rows where promoted.contains(r[sku]) {
            let day = Day(r[ts].prefix(10))!
            if promoDay.contains(r[sku] + "|" + String(day.rawValue)) { inUnits += Double(r[qty])! } else { outUnits += Double(r[qty])! }
        }
        let promoRate = inUnits / Double(promoDay.count)
        let plainRate = outUnits / Double(promoted.count * days - promoDay.count)
        #expect(promoRate > plainRate)
    }

    @Test func returnsAndStockoutsAreRealistic() {
        let sold = data.table("sales.csv").column("qty").reduce(0) { $0 + Double($1)! }
        let returned = data.table("returns.csv").column("qty").reduce(0) { $0 + Double($1)! }
        #expect(returned / sold > 0.05 && returned / sold < 0.30)
        let inv = data.table("inventory.csv")
        #expect(inv.column("on_hand").filter { $0 == "0" }.count > 10)
        let orders = data.table("orders.csv")
        #expect(orders.column("status").contains("open"))
    }
}
