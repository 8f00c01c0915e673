import KeelCore

extension FileImporter {
    /// The per-kind rules that span several columns, and what an imported row feeds (demand
    /// history, inventory positions). Column indexes are resolved once per file.
    struct Hooks {
        let kind: ContractFile.Kind
        let ix: [String: Int]
        // Hot-path column positions (sales, returns, inventory), resolved once per file.
        let channel, qty, unitPrice, discount, location, sku, timestamp, promo, disposition: Int

        init(spec: ContractFile) {
            kind = spec.kind
            var ix: [String: Int] = [:]
            for (i, c) in spec.columns.enumerated() { ix[c.name] = i }
            self.ix = ix
            channel = ix["channel"] ?? -1; qty = ix["qty"] ?? -1; unitPrice = ix["unit_price"] ?? -1
            discount = ix["discount"] ?? -1; location = ix["location_id"] ?? -1; sku = ix["sku"] ?? -1
            timestamp = ix["timestamp"] ?? -1; promo = ix["promo_id"] ?? -1; disposition = ix["disposition"] ?? -1
        }

        /// Cross-column rules (and defaults that depend on other columns). Returns the first problem.
        func check(_ cells: inout [Cell], _ r: CSVReader) -> (String, String)? {
            func has(_ name: String) -> Bool { cells[ix[name]!].tag != 0 }
            func int(_ name: String) -> Int64 { cells[ix[name]!].int }
            func double(_ name: String) -> Double { cells[ix[name]!].double }
            func day(_ name: String) -> String { Day(rawValue: Int32(int(name))).description }
            switch kind {
            case .locations:
                let typeCell = cells[ix["type"]!]
                let type = r.withField(typeCell.field) { LocationType(rawValue: String(decoding: $0, as: UTF8.self)) }!
                if !(-90...90).contains(double("latitude")) { return ("latitude", "must be between -90 and 90") }
                if !(-180...180).contains(double("longitude")) { return ("longitude", "must be between -180 and 180") }
                if !has("can_ship_to_customer") { cells[ix["can_ship_to_customer"]!].tag = 1; cells[ix["can_ship_to_customer"]!].int = type.shipsToCustomerByDefault ? 1 : 0 }
                if !has("can_pickup") { cells[ix["can_pickup"]!].tag = 1; cells[ix["can_pickup"]!].int = type.offersPickupByDefault ? 1 : 0 }
            case .zones:
                if !(-90...90).contains(double("latitude")) { return ("latitude", "must be between -90 and 90") }
                if !(-180...180).contains(double("longitude")) { return ("longitude", "must be between -180 and 180") }
            case .transferLanes:
                if int("from_location_id") == int("to_location_id") { return ("to_location_id", "a lane must join two different locations") }
            case .promotions:
                if has("promo_price") == has("discount_pct") { return ("promo_price", "exactly one of promo_price and discount_pct must be given") }
                if has("discount_pct"), double("discount_pct") > 1 { return ("discount_pct", "must be a fraction between 0 and 1") }
                if int("end_date") < int("start_date") { return ("end_date", "\(day("end_date")) is before start_date \(day("start_date"))") }
            case .prices:
                if has("end_date"), int("end_date") < int("start_date") { return ("end_date", "\(day("end_date")) is before start_date \(day("start_date"))") }
            case .purchaseOrders:
                if has("received_at"), int("received_at") < int("ordered_at") { return ("received_at", "\(day("received_at")) is before ordered_at \(day("ordered_at"))") }
                if has("expected_at"), int("expected_at") < int("ordered_at") { return ("expected_at", "\(day("expected_at")) is before ordered_at \(day("ordered_at"))") }
            case .transfers:
                if int("from_location_id") == int("to_location_id") { return ("to_location_id", "a transfer must join two different locations") }
                if has("received_at"), int("received_at") < int("shipped_at") { return ("received_at", "\(day("received_at")) is before shipped_at \(day("shipped_at"))") }
            case .orders:
                if double("qty") <= 0 { return ("qty", "an order line must have a positive quantity") }
                let service = r.withField(cells[ix["service"]!].field) { String(decoding: $0, as: UTF8.self) }
                if service == "pickup", !has("pickup_location_id") { return ("pickup_location_id", "required for a pickup order") }
                if has("promise_date"), int("promise_date") < cells[ix["created_at"]!].int2 { return ("promise_date", "is before the order was created") }
            case .sales:
                let day = cells[timestamp].int2
                if day < 0 || day >= 1 << 17 { return ("timestamp", "dates before 1970 or after 2328 are not supported") }
                if cells[location].int >= DemandAccumulator.locationLimit || cells[sku].int >= DemandAccumulator.itemLimit {
                    return ("row", "more than 2^20 locations or 2^24 items are not supported by the demand history")
                }
            default:
                break
            }
            return nil
        }

        /// Feeds an inserted row to the demand history and inventory positions.
        func after(_ cells: [Cell], _ r: CSVReader, importer: FileImporter) {
            switch kind {
            case .sales:
                // Enumeration cells carry the option's index, which is the Channel code.
                let q = cells[qty].double
                let net = q * cells[unitPrice].double - cells[discount].double
                importer.demand.add(channel: Int(cells[channel].int), location: cells[location].int, item: cells[sku].int,
                                    day: Int32(cells[timestamp].int2), qty: q, net: net, promo: cells[promo].tag != 0)
            case .inventory:
                importer.stockPairs.insert(UInt64(cells[location].int) << 24 | UInt64(cells[sku].int))
            case .returns:
                let d = cells[disposition]
                guard d.tag != 0 else { return }
                let option = Disposition.allCases[Int(d.int)]
                guard option == .restock || option == .damaged else { return }
                let pair = UInt64(cells[location].int) << 24 | UInt64(cells[sku].int)
                let key = pair << 17 | UInt64(max(0, cells[timestamp].int2))
                let q = cells[qty].double
                var v = importer.returnDeltas[key] ?? (0, 0)
                if option == .restock { v.restock += q } else { v.damaged += q }
                importer.returnDeltas[key] = v
            default:
                break
            }
        }
    }
}
