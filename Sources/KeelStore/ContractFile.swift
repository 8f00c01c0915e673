import KeelCore

/// A contract CSV file Keel imports: its columns (data-contract.md), how each is validated and
/// stored, its key, and where it lands in the database.
///
/// Two modes:
/// - `event` files (sales, returns, inventory snapshots, settlements) record facts that never
///   change: a key already in the database, or repeated in the file, rejects the row;
/// - `state` files (master data, prices, promotions, purchase orders, transfers, orders) describe
///   the current state in a source system: a key repeated within one file rejects the row, and a
///   key already in the database is replaced by the new row (the source system's update).
public struct ContractFile: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        // Dependency order: a file only references kinds before it.
        case suppliers, items, locations, zones
        case shippingRates = "shipping_rates", transferLanes = "transfer_lanes"
        case promotions, prices, inventory, sales, returns
        case purchaseOrders = "purchase_orders", transfers, settlements, orders

        public var fileName: String { rawValue + ".csv" }

        /// The kind named by a file name (`sales.csv`, `2026-03-01-sales.csv` is not accepted: the
        /// contract names files exactly).
        public init?(fileName: String) {
            guard fileName.hasSuffix(".csv") else { return nil }
            self.init(rawValue: String(fileName.dropLast(4)))
        }
    }

    public enum Mode: Sendable { case event, state }

    public enum Reference: Sendable { case item, location, supplier, zone, promotion }

    public enum ColumnType: Sendable {
        case text
        case decimal(nonNegative: Bool)
        case integer(minimum: Int64)
        case date
        /// Stored as two columns: seconds since the epoch and the local day.
        case timestamp
        /// `*_at` columns: a date or a timestamp, stored as the local day.
        case dayOrTimestamp
        case boolean
        case enumeration([String])
        /// Stored as the referenced row's integer key (or, for promotions, the checked text id).
        case reference(Reference)

        var storedColumns: Int { if case .timestamp = self { return 2 } else { return 1 } }
    }

    public enum DefaultValue: Sendable { case double(Double), int(Int64), bool(Bool), text(String) }

    public struct Column: Sendable {
        public var name: String
        public var type: ColumnType
        public var required: Bool
        public var defaultValue: DefaultValue?
        /// Database column(s) the value is stored in.
        public var stored: [String]
    }

    public var kind: Kind
    public var mode: Mode
    public var table: String
    public var columns: [Column]
    public var key: [String]

    func index(_ name: String) -> Int { columns.firstIndex { $0.name == name }! }

    /// The INSERT statement, one parameter per stored column in column order.
    var insertSQL: String {
        let stored = columns.flatMap(\.stored)
        let params = Array(repeating: "?", count: stored.count).joined(separator: ", ")
        let head = "INTO \(table)(\(stored.joined(separator: ", "))) VALUES (\(params))"
        switch (mode, kind) {
        case (.event, _): return "INSERT " + head
        case (.state, .suppliers), (.state, .items), (.state, .locations), (.state, .zones):
            // Master data keeps its integer key (rows elsewhere reference it): update in place.
            let keyColumn = columns.first { $0.name == key[0] }!.stored[0]
            let updates = stored.filter { $0 != keyColumn }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
            return "INSERT " + head + " ON CONFLICT(\(keyColumn)) DO UPDATE SET \(updates)"
        case (.state, _):
            return "INSERT OR REPLACE " + head
        }
    }
}

extension ContractFile {
    static func col(_ name: String, _ type: ColumnType, required: Bool = false, default d: DefaultValue? = nil,
                    stored: [String]? = nil) -> Column {
        let storedNames: [String]
        if let stored { storedNames = stored } else {
            switch type {
            case .reference(.item): storedNames = ["item_key"]
            case .reference(.location): storedNames = [name.replacingSuffix("_id", with: "_key")]
            case .reference(.supplier): storedNames = ["supplier_key"]
            case .reference(.zone): storedNames = ["zone_key"]
            default: storedNames = [name]
            }
        }
        return Column(name: name, type: type, required: required, defaultValue: d, stored: storedNames)
    }

    static let channels = Channel.allCases.map(\.rawValue)
    static let tenders = Tender.allCases.map(\.rawValue)
    static let nonNegative = ColumnType.decimal(nonNegative: true)
    static let signed = ColumnType.decimal(nonNegative: false)

    /// The specification of every contract file.
    public static func spec(_ kind: Kind) -> ContractFile {
        switch kind {
        case .suppliers:
            return ContractFile(kind: kind, mode: .state, table: "suppliers", columns: [
                col("supplier_id", .text, required: true),
                col("name", .text),
                col("lead_time_days", nonNegative, required: true),
                col("lead_time_sd_days", nonNegative, default: .double(0)),
                col("order_cost", nonNegative, default: .double(0)),
                col("min_order_value", nonNegative, default: .double(0)),
            ], key: ["supplier_id"])
        case .items:
            return ContractFile(kind: kind, mode: .state, table: "items", columns: [
                col("sku", .text, required: true),
                col("name", .text),
                col("category", .text, required: true),
                col("department", .text, required: true),
                col("unit_cost", nonNegative, required: true),
                col("unit_price", nonNegative, required: true),
                col("case_pack", nonNegative, default: .double(1)),
                col("min_order_qty", nonNegative, default: .double(0)),
                col("supplier_id", .reference(.supplier)),
                col("weight_kg", nonNegative),
                col("shelf_life_days", .integer(minimum: 1)),
            ], key: ["sku"])
        case .locations:
            return ContractFile(kind: kind, mode: .state, table: "locations", columns: [
                col("location_id", .text, required: true),
                col("name", .text),
                col("type", .enumeration(LocationType.allCases.map(\.rawValue)), required: true),
                col("region", .text),
                col("latitude", signed, required: true),
                col("longitude", signed, required: true),
                col("ship_capacity_units_per_day", nonNegative),
                col("pick_cost_per_unit", nonNegative, default: .double(0)),
                col("can_ship_to_customer", .boolean),  // default depends on type (see CSVImporter)
                col("can_pickup", .boolean),
            ], key: ["location_id"])
        case .zones:
            return ContractFile(kind: kind, mode: .state, table: "zones", columns: [
                col("zone", .text, required: true),
                col("latitude", signed, required: true),
                col("longitude", signed, required: true),
            ], key: ["zone"])
        case .shippingRates:
            return ContractFile(kind: kind, mode: .state, table: "shipping_rates", columns: [
                col("from_location_id", .reference(.location), required: true),
                col("to_zone", .reference(.zone), required: true),
                col("service", .enumeration(ShippingService.allCases.map(\.rawValue)), required: true),
                col("cost_per_shipment", nonNegative, required: true),
                col("cost_per_kg", nonNegative, default: .double(0)),
                col("transit_days", .integer(minimum: 0), required: true),
            ], key: ["from_location_id", "to_zone", "service"])
        case .transferLanes:
            return ContractFile(kind: kind, mode: .state, table: "transfer_lanes", columns: [
                col("from_location_id", .reference(.location), required: true),
                col("to_location_id", .reference(.location), required: true),
                col("cost_per_unit", nonNegative, required: true),
                col("cost_per_shipment", nonNegative, default: .double(0)),
                col("transit_days", .integer(minimum: 0), required: true),
            ], key: ["from_location_id", "to_location_id"])
        case .promotions:
            return ContractFile(kind: kind, mode: .state, table: "promotions", columns: [
                col("promo_id", .text, required: true),
                col("sku", .reference(.item), required: true),
                col("channel", .enumeration(channels)),
                col("location_id", .reference(.location)),
                col("start_date", .date, required: true, stored: ["start_day"]),
                col("end_date", .date, required: true, stored: ["end_day"]),
                col("promo_price", nonNegative),
                col("discount_pct", nonNegative),
            ], key: ["promo_id", "sku", "channel", "location_id"])
        case .prices:
            return ContractFile(kind: kind, mode: .state, table: "prices", columns: [
                col("sku", .reference(.item), required: true),
                col("channel", .enumeration(channels), required: true),
                col("location_id", .reference(.location)),
                col("price", nonNegative, required: true),
                col("start_date", .date, required: true, stored: ["start_day"]),
                col("end_date", .date, stored: ["end_day"]),
            ], key: ["sku", "channel", "location_id", "start_date"])
        case .inventory:
            return ContractFile(kind: kind, mode: .event, table: "inventory_snapshots", columns: [
                col("location_id", .reference(.location), required: true),
                col("sku", .reference(.item), required: true),
                col("on_hand", nonNegative, required: true),
                col("in_transit", nonNegative, default: .double(0)),
                col("reserved", nonNegative, default: .double(0)),
                col("damaged", nonNegative, default: .double(0)),
                col("as_of", .date, required: true),
            ], key: ["location_id", "sku", "as_of"])
        case .sales:
            return ContractFile(kind: kind, mode: .event, table: "sales", columns: [
                col("transaction_id", .text, required: true),
                col("line", .integer(minimum: 0), required: true),
                col("timestamp", .timestamp, required: true, stored: ["ts", "day"]),
                col("channel", .enumeration(channels), required: true),
                col("location_id", .reference(.location), required: true),
                col("sku", .reference(.item), required: true),
                col("qty", nonNegative, required: true),
                col("unit_price", nonNegative, required: true),
                col("discount", nonNegative, default: .double(0)),
                col("promo_id", .reference(.promotion), stored: ["promo_id"]),
                col("customer_id", .text),
                col("tender", .enumeration(tenders)),
                col("order_id", .text),
                col("cashier_id", .text),
            ], key: ["transaction_id", "line"])
        case .returns:
            return ContractFile(kind: kind, mode: .event, table: "returns", columns: [
                col("return_id", .text, required: true),
                col("timestamp", .timestamp, required: true, stored: ["ts", "day"]),
                // Not a checked reference: a return whose original sale Keel never saw is data
                // (the refund_without_sale anomaly), not a bad row.
                col("original_transaction_id", .text),
                col("sku", .reference(.item), required: true),
                col("qty", nonNegative, required: true),
                col("refund_amount", nonNegative, required: true),
                col("channel", .enumeration(channels), required: true),
                col("location_id", .reference(.location), required: true),
                col("reason_code", .text),
                col("disposition", .enumeration(Disposition.allCases.map(\.rawValue))),
                col("tender", .enumeration(tenders)),
                col("cashier_id", .text),
                col("customer_id", .text),
            ], key: ["return_id"])
        case .purchaseOrders:
            return ContractFile(kind: kind, mode: .state, table: "purchase_orders", columns: [
                col("po_id", .text, required: true),
                col("supplier_id", .reference(.supplier), required: true),
                col("location_id", .reference(.location), required: true),
                col("sku", .reference(.item), required: true),
                col("qty", nonNegative, required: true),
                col("ordered_at", .dayOrTimestamp, required: true, stored: ["ordered_day"]),
                col("expected_at", .dayOrTimestamp, stored: ["expected_day"]),
                col("received_at", .dayOrTimestamp, stored: ["received_day"]),
                col("received_qty", nonNegative),
            ], key: ["po_id", "sku"])
        case .transfers:
            return ContractFile(kind: kind, mode: .state, table: "transfers", columns: [
                col("transfer_id", .text, required: true),
                col("from_location_id", .reference(.location), required: true),
                col("to_location_id", .reference(.location), required: true),
                col("sku", .reference(.item), required: true),
                col("qty", nonNegative, required: true),
                col("shipped_at", .dayOrTimestamp, required: true, stored: ["shipped_day"]),
                col("received_at", .dayOrTimestamp, stored: ["received_day"]),
            ], key: ["transfer_id", "sku"])
        case .settlements:
            return ContractFile(kind: kind, mode: .event, table: "settlements", columns: [
                col("settlement_id", .text, required: true),
                // Not a checked reference: a settlement for an unknown sale is a mismatch to report.
                col("transaction_id", .text, required: true),
                col("processor", .text, required: true),
                col("amount", signed, required: true),
                col("fee", signed, default: .double(0)),
                col("settled_at", .timestamp, required: true, stored: ["settled_ts", "settled_day"]),
            ], key: ["settlement_id"])
        case .orders:
            return ContractFile(kind: kind, mode: .state, table: "orders", columns: [
                col("order_id", .text, required: true),
                col("line", .integer(minimum: 0), required: true),
                col("created_at", .timestamp, required: true, stored: ["created_ts", "created_day"]),
                col("channel", .enumeration(channels), required: true),
                col("sku", .reference(.item), required: true),
                col("qty", nonNegative, required: true),
                col("ship_to_zone", .reference(.zone), required: true),
                col("service", .enumeration(OrderService.allCases.map(\.rawValue)), required: true),
                col("promise_date", .date, stored: ["promise_day"]),
                col("pickup_location_id", .reference(.location)),
                col("status", .enumeration(OrderStatus.allCases.map(\.rawValue)), default: .text("open")),
                col("location_id", .reference(.location)),
            ], key: ["order_id", "line"])
        }
    }
}

extension String {
    func replacingSuffix(_ suffix: String, with replacement: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + replacement : self
    }
}
