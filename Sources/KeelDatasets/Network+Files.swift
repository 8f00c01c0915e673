import KeelCore

/// The contract's column lists, in the contract's order.
enum Columns {
    static let items = ["sku", "name", "category", "department", "unit_cost", "unit_price", "case_pack", "min_order_qty", "supplier_id", "weight_kg", "shelf_life_days"]
    static let locations = ["location_id", "name", "type", "region", "latitude", "longitude", "ship_capacity_units_per_day", "pick_cost_per_unit", "can_ship_to_customer", "can_pickup"]
    static let suppliers = ["supplier_id", "name", "lead_time_days", "lead_time_sd_days", "order_cost", "min_order_value"]
    static let zones = ["zone", "latitude", "longitude"]
    static let shippingRates = ["from_location_id", "to_zone", "service", "cost_per_shipment", "cost_per_kg", "transit_days"]
    static let transferLanes = ["from_location_id", "to_location_id", "cost_per_unit", "cost_per_shipment", "transit_days"]
    static let sales = ["transaction_id", "line", "timestamp", "channel", "location_id", "sku", "qty", "unit_price", "discount", "promo_id", "customer_id", "tender", "order_id", "cashier_id"]
    static let returns = ["return_id", "timestamp", "original_transaction_id", "sku", "qty", "refund_amount", "channel", "location_id", "reason_code", "disposition", "tender", "cashier_id", "customer_id"]
    static let inventory = ["location_id", "sku", "on_hand", "in_transit", "reserved", "damaged", "as_of"]
    static let prices = ["sku", "channel", "location_id", "price", "start_date", "end_date"]
    static let promotions = ["promo_id", "sku", "channel", "location_id", "start_date", "end_date", "promo_price", "discount_pct"]
    static let purchaseOrders = ["po_id", "supplier_id", "location_id", "sku", "qty", "ordered_at", "expected_at", "received_at", "received_qty"]
    static let transfers = ["transfer_id", "from_location_id", "to_location_id", "sku", "qty", "shipped_at", "received_at"]
    static let settlements = ["settlement_id", "transaction_id", "processor", "amount", "fee", "settled_at"]
    static let orders = ["order_id", "line", "created_at", "channel", "sku", "qty", "ship_to_zone", "service", "promise_date", "pickup_location_id", "status", "location_id"]
    static let anomaliesTruth = ["kind", "transaction_id", "return_id", "settlement_id", "location_id", "sku", "date", "channel", "category", "cashier_id", "customer_id"]
}

extension Network {
    /// Transit days of the DC → store lane for each store.
    func storeLaneTransit() -> [Int] {
        (0..<storeCount).map { s in
            let l = locations[s], dc = locations[l.servingDC]
            return laneTransit(km: distanceKm(dc.latitude, dc.longitude, l.latitude, l.longitude))
        }
    }

    func laneTransit(km: Double) -> Int { 1 + Int(km / 700) }

    func writeMasterFiles(in dir: String, counts: inout [FileCount]) throws {
        let items = try CSVWriter(path: dir + "/items.csv", header: Columns.items)
        for it in self.items {
            items.field(it.id); items.field(it.name)
            items.field(Assortment.categories[it.category].name); items.field(Assortment.departments[it.department].name)
            items.field(it.cost, decimals: 2); items.field(it.price, decimals: 2)
            items.field(it.casePack); items.field(it.minOrderQty); items.field(suppliers[it.supplier].id)
            items.field(it.weight, decimals: 2)
            if let s = it.shelfLife { items.field(s) } else { items.null() }
            items.endRow()
        }
        try items.close()
        counts.append(FileCount(name: "items.csv", rows: items.rowsWritten))

        let locs = try CSVWriter(path: dir + "/locations.csv", header: Columns.locations)
        for l in locations {
            locs.field(l.id); locs.field(l.name); locs.field(l.type.rawValue)
            if l.region >= 0 { locs.field(regions[l.region]) } else { locs.null() }
            locs.field(l.latitude, decimals: 4); locs.field(l.longitude, decimals: 4)
            if let c = l.shipCapacity { locs.field(c) } else { locs.null() }
            locs.field(l.pickCost, decimals: 2); locs.field(l.shipsToCustomer); locs.field(l.canPickup)
            locs.endRow()
        }
        try locs.close()
        counts.append(FileCount(name: "locations.csv", rows: locs.rowsWritten))

        let sup = try CSVWriter(path: dir + "/suppliers.csv", header: Columns.suppliers)
        for s in suppliers {
            sup.field(s.id); sup.field(s.name); sup.field(s.leadTime); sup.field(s.leadTimeSD, decimals: 2)
            sup.field(s.orderCost, decimals: 2); sup.field(s.minOrderValue, decimals: 2)
            sup.endRow()
        }
        try sup.close()
        counts.append(FileCount(name: "suppliers.csv", rows: sup.rowsWritten))

        let zw = try CSVWriter(path: dir + "/zones.csv", header: Columns.zones)
        for z in zones { zw.field(z.id); zw.field(z.latitude, decimals: 4); zw.field(z.longitude, decimals: 4); zw.endRow() }
        try zw.close()
        counts.append(FileCount(name: "zones.csv", rows: zw.rowsWritten))

        // Shipping rates from every customer-shipping node to every zone.
        let rates = try CSVWriter(path: dir + "/shipping_rates.csv", header: Columns.shippingRates)
        for l in locations where l.shipsToCustomer {
            for z in zones {
                let km = distanceKm(l.latitude, l.longitude, z.latitude, z.longitude)
                let standardDays = 1 + Int((km / 800).rounded(.up))
                let baseCost = (l.type == .store ? 6.5 : 4.5) + 0.0035 * km
                rates.field(l.id); rates.field(z.id); rates.field("standard")
                rates.field(baseCost, decimals: 2); rates.field(0.45 + 0.0004 * km, decimals: 2); rates.field(standardDays)
                rates.endRow()
                rates.field(l.id); rates.field(z.id); rates.field("express")
                rates.field(baseCost * 2 + 6, decimals: 2); rates.field(0.9 + 0.0008 * km, decimals: 2)
                rates.field(max(1, standardDays / 2)); rates.endRow()
                if l.type == .store && km < 60 {
                    rates.field(l.id); rates.field(z.id); rates.field("same_day")
                    rates.field(14 + 0.1 * km, decimals: 2); rates.field(1.2, decimals: 2); rates.field(0)
                    rates.endRow()
                }
            }
        }
        try rates.close()
        counts.append(FileCount(name: "shipping_rates.csv", rows: rates.rowsWritten))

        // Lanes: every DC to every store; stores within a region to each other.
        let lanes = try CSVWriter(path: dir + "/transfer_lanes.csv", header: Columns.transferLanes)
        for d in dcRange {
            for s in 0..<storeCount {
                let km = distanceKm(locations[d].latitude, locations[d].longitude, locations[s].latitude, locations[s].longitude)
                lanes.field(locations[d].id); lanes.field(locations[s].id)
                lanes.field(0.08 + 0.0003 * km, decimals: 3); lanes.field(45 + 0.05 * km, decimals: 2)
                lanes.field(laneTransit(km: km)); lanes.endRow()
            }
        }
        for a in 0..<storeCount {
            for b in 0..<storeCount where a != b && locations[a].region == locations[b].region {
                let km = distanceKm(locations[a].latitude, locations[a].longitude, locations[b].latitude, locations[b].longitude)
                lanes.field(locations[a].id); lanes.field(locations[b].id)
                lanes.field(0.2 + 0.0006 * km, decimals: 3); lanes.field(30 + 0.08 * km, decimals: 2)
                lanes.field(1 + Int(km / 500)); lanes.endRow()
            }
        }
        try lanes.close()
        counts.append(FileCount(name: "transfer_lanes.csv", rows: lanes.rowsWritten))
    }
}
